using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Moderation;

/// <summary>
/// The hash chain of the public moderation log: each entry's hash covers its public fields and
/// the previous entry's hash, so altering or removing a stored entry breaks every link after it.
/// </summary>
public static class ModerationLog
{
    public static readonly string Genesis = new('0', 64);

    public static ModerationLogEntry Seal(ModerationLogEntry entry, string prevHash)
    {
        var linked = entry with { PrevHash = prevHash, Hash = string.Empty };
        return linked with { Hash = HashOf(linked) };
    }

    public static string HashOf(ModerationLogEntry e)
    {
        var canonical = string.Join(
            '\u001f',
            e.Seq.ToString(CultureInfo.InvariantCulture),
            e.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.Action,
            e.ItemId ?? string.Empty,
            e.Pseudonym ?? string.Empty,
            e.Reason ?? string.Empty,
            e.TargetId ?? string.Empty,
            e.By,
            e.Appealed ? "1" : "0",
            e.PrevHash);

        // Entries from before staff accounts hash exactly as they did, so their chain still verifies.
        if (e.ByAccount is not null)
        {
            canonical += '\u001f' + e.ByAccount;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Checks the links and hashes of entries in stored order.</summary>
    public static LogVerification Verify(IEnumerable<ModerationLogEntry> entries)
    {
        var previous = Genesis;
        var count = 0;
        foreach (var entry in entries)
        {
            count++;
            if (entry.PrevHash != previous)
            {
                return new LogVerification(false, count, entry.Seq, "The entry does not link to the one before it.");
            }

            if (HashOf(entry) != entry.Hash)
            {
                return new LogVerification(false, count, entry.Seq, "The entry's content does not match its hash.");
            }

            previous = entry.Hash;
        }

        return new LogVerification(true, count, null, null);
    }
}
