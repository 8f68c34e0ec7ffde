namespace OpenGov.Dialogue.Journal;

/// <summary>
/// After an erasure or anonymisation the stores still hold old row versions in freed space (SQLite
/// pages, PostgreSQL dead tuples); this asks the store to drop them (docs/data-rights.md).
/// </summary>
public interface IStorageScrubber
{
    Task ScrubGrainStateAsync(CancellationToken cancellationToken = default);
}
