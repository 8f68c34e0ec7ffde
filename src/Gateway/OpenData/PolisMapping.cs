using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.OpenData;

namespace OpenGov.Dialogue.Gateway.OpenData;

/// <summary>Between a consultation's record and the Pol.is open-data layout, both ways.</summary>
public static class PolisMapping
{
    /// <summary>Pol.is comment ids are 0-based; item "i{n}" is comment n - 1, so an imported conversation keeps its ids.</summary>
    public static int CommentId(int itemNumber) => itemNumber - 1;

    public static string ItemId(int commentId) => $"i{commentId + 1}";

    /// <summary>Pol.is "moderated": 1 accepted, -1 moderated out, 0 never moderated (still shown in a post-moderated consultation).</summary>
    public static int Moderated(ExportItem item) => item.Status switch
    {
        ItemStatus.Rejected or ItemStatus.Merged or ItemStatus.Archived => -1,
        ItemStatus.Pending => 0,
        _ => item.Reviewed ? 1 : 0,
    };

    public static PolisConversation ToPolis(ConsultationExport export, string url)
    {
        var votes = export.Votes
            .Select(v => new PolisVote(v.At.ToUnixTimeMilliseconds(), CommentId(v.Item), v.Participant, v.Value))
            .ToList();
        var agrees = votes.Where(v => v.Vote == 1).CountBy(v => v.CommentId).ToDictionary();
        var disagrees = votes.Where(v => v.Vote == -1).CountBy(v => v.CommentId).ToDictionary();
        var comments = export.Items
            .Select(i => new PolisComment(
                i.CreatedAt.ToUnixTimeMilliseconds(),
                CommentId(i.Number),
                Math.Max(0, i.Author),
                agrees.GetValueOrDefault(CommentId(i.Number)),
                disagrees.GetValueOrDefault(CommentId(i.Number)),
                Moderated(i),
                i.Text ?? string.Empty))
            .ToList();
        var authored = export.Items.CountBy(i => i.Author).ToDictionary();
        var participants = export.Matrix
            .GroupBy(c => c.Participant)
            .OrderBy(g => g.Key)
            .Select(g => new PolisParticipant(
                g.Key,
                export.Groups.TryGetValue(g.Key, out var group) ? group : null,
                authored.GetValueOrDefault(g.Key),
                g.Count(),
                g.Count(c => c.Value == 1),
                g.Count(c => c.Value == -1),
                g.ToDictionary(c => CommentId(c.Item), c => c.Value)))
            .ToList();
        var info = export.Info;
        var summary = new PolisSummary(
            info.Title,
            url,
            0,
            participants.Count,
            participants.Count,
            export.Items.Select(i => i.Author).Distinct().Count(),
            comments.Count,
            export.Groups.Values.Distinct().Count(),
            info.Description);
        return new PolisConversation(summary, comments, votes, participants, [.. comments.Select(c => c.CommentId).Order()]);
    }

    public static byte[] Zip(ConsultationExport export, string url)
    {
        using var output = new MemoryStream();
        var info = export.Info;
        PolisWriter.WriteZip(
            ToPolis(export, url),
            output,
            new DataPackageInfo(
                $"opengov-dialogue-{info.Id}",
                info.Title,
                string.IsNullOrWhiteSpace(info.Description) ? info.Title : info.Description,
                url,
                "CC-BY-4.0",
                export.ExportedAt));
        return output.ToArray();
    }

    /// <summary>
    /// The conversation as events in the order they happened: each comment at its time, each vote at
    /// its time but never before its comment (a vote stamped earlier than its comment waits for it).
    /// Without votes.csv the final matrix gives one vote per cell, just after its comment. Every Pol.is
    /// participant becomes a fresh citizen id that nobody holds.
    /// </summary>
    public static List<ImportedEvent> ToEvents(PolisConversation conversation)
    {
        var citizens = new Dictionary<int, string>();
        string Citizen(int participant)
        {
            if (!citizens.TryGetValue(participant, out var id))
            {
                id = CitizenIds.New();
                citizens[participant] = id;
            }

            return id;
        }

        var commentTime = conversation.Comments.ToDictionary(c => c.CommentId, c => c.Timestamp);
        var votes = conversation.Votes
            ?? [.. conversation.Participants.SelectMany(p => p.Votes.Select(v => new PolisVote(commentTime[v.Key], v.Key, p.Participant, v.Value)))];
        var ordered = conversation.Comments
            .Select((c, i) => (Time: c.Timestamp, Kind: 0, Index: i, Comment: (PolisComment?)c, Vote: (PolisVote?)null))
            .Concat(votes.Select((v, i) => (Time: Math.Max(v.Timestamp, commentTime[v.CommentId]), Kind: 1, Index: i, Comment: (PolisComment?)null, Vote: (PolisVote?)v)))
            .OrderBy(e => e.Time).ThenBy(e => e.Kind).ThenBy(e => e.Index);
        var events = new List<ImportedEvent>(conversation.Comments.Count + votes.Count);
        foreach (var e in ordered)
        {
            if (e.Comment is { } c)
            {
                events.Add(new ImportedEvent(DateTimeOffset.FromUnixTimeMilliseconds(c.Timestamp), ItemId(c.CommentId), Citizen(c.AuthorId), c.Body, 0, c.Moderated));
            }
            else if (e.Vote is { } v)
            {
                events.Add(new ImportedEvent(DateTimeOffset.FromUnixTimeMilliseconds(v.Timestamp), ItemId(v.CommentId), Citizen(v.VoterId), null, v.Vote, 0));
            }
        }

        return events;
    }
}
