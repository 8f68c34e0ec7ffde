namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// One participant's votes: statement column → -1, 0 or +1, in the order they were first cast (a
/// changed vote keeps its place). Two plain arrays, five bytes a vote: a dictionary entry cost
/// four times that, for every vote of a conversation. Rows are short (a participant sees a small
/// share of the statements), so a vectorised scan finds a column as fast as a hash lookup.
/// </summary>
public sealed class VoteRow
{
    private int[] _columns = [];
    private sbyte[] _values = [];

    public int Count { get; private set; }

    /// <summary>A row holding these votes, in this order (for tests and tools).</summary>
    public static VoteRow Of(IEnumerable<KeyValuePair<int, sbyte>> votes)
    {
        var row = new VoteRow();
        foreach (var (column, value) in votes)
        {
            row.Set(column, value);
        }

        return row;
    }

    public bool TryGetValue(int column, out sbyte value)
    {
        var index = IndexOf(column);
        value = index >= 0 ? _values[index] : default;
        return index >= 0;
    }

    public bool ContainsKey(int column) => IndexOf(column) >= 0;

    /// <summary>Records the vote; returns the one it replaced, if any.</summary>
    internal sbyte? Set(int column, sbyte value)
    {
        var index = IndexOf(column);
        if (index >= 0)
        {
            var previous = _values[index];
            _values[index] = value;
            return previous;
        }

        if (Count == _columns.Length)
        {
            var capacity = Math.Max(4, Count + (Count / 2));
            Array.Resize(ref _columns, capacity);
            Array.Resize(ref _values, capacity);
        }

        _columns[Count] = column;
        _values[Count] = value;
        Count++;
        return null;
    }

    public Enumerator GetEnumerator() => new(this);

    private int IndexOf(int column) => _columns.AsSpan(0, Count).IndexOf(column);

    public struct Enumerator(VoteRow row)
    {
        private int _index = -1;

        public readonly (int Column, sbyte Vote) Current => (row._columns[_index], row._values[_index]);

        public bool MoveNext() => ++_index < row.Count;
    }
}
