namespace OpenGov.Dialogue.Consultations;

/// <summary>
/// One item's votes: citizen number → -1, 0 or +1, packed into one int per vote (number &lt;&lt; 2 |
/// value + 1) and kept sorted by citizen number. Four bytes a vote instead of a dictionary entry
/// and a citizen-id string each, which is what a town hall of millions of votes keeps in memory.
/// Citizen numbers come from the ledger's <see cref="CitizenNumbers"/>.
/// </summary>
public sealed class VoteSet
{
    /// <summary>Citizen numbers must fit in the 29 bits above the value, so the packed int stays positive.</summary>
    public const int MaxCitizen = (1 << 29) - 1;

    private int[] _packed = [];

    public int Count { get; private set; }

    public bool TryGetValue(int citizen, out int value)
    {
        var index = IndexOf(citizen);
        value = index >= 0 ? ValueOf(_packed[index]) : 0;
        return index >= 0;
    }

    public bool Contains(int citizen) => IndexOf(citizen) >= 0;

    /// <summary>Adds the citizen's vote or replaces the one they had.</summary>
    public void Set(int citizen, int value)
    {
        var packed = Pack(citizen, value);
        var index = IndexOf(citizen);
        if (index >= 0)
        {
            _packed[index] = packed;
            return;
        }

        index = ~index;
        if (Count == _packed.Length)
        {
            // Half again rather than double: a large item's array is at most a third empty.
            Array.Resize(ref _packed, Math.Max(4, Count + (Count / 2)));
        }

        Array.Copy(_packed, index, _packed, index + 1, Count - index);
        _packed[index] = packed;
        Count++;
    }

    public bool Remove(int citizen)
    {
        var index = IndexOf(citizen);
        if (index < 0)
        {
            return false;
        }

        Count--;
        Array.Copy(_packed, index + 1, _packed, index, Count - index);
        return true;
    }

    public void Clear()
    {
        _packed = [];
        Count = 0;
    }

    /// <summary>The votes in citizen-number order (the order citizens first appeared in the consultation).</summary>
    public Enumerator GetEnumerator() => new(_packed, Count);

    private static int Pack(int citizen, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(citizen);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(citizen, MaxCitizen);
        if (value is < -1 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A vote is -1, 0 or +1.");
        }

        return (citizen << 2) | (value + 1);
    }

    private static int ValueOf(int packed) => (packed & 3) - 1;

    /// <summary>The index of the citizen's vote, or the bitwise complement of where it would go.</summary>
    private int IndexOf(int citizen)
    {
        int low = 0, high = Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var found = _packed[middle] >> 2;
            if (found == citizen)
            {
                return middle;
            }

            if (found < citizen)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    public struct Enumerator(int[] packed, int count)
    {
        private int _index = -1;

        public readonly (int Citizen, int Value) Current => (packed[_index] >> 2, ValueOf(packed[_index]));

        public bool MoveNext() => ++_index < count;
    }
}

/// <summary>
/// Numbers the citizens of one consultation in the order they first appear, and keeps one string per
/// citizen: every vote arrives with its own copy of the citizen id, and none of those copies is kept.
/// </summary>
public sealed class CitizenNumbers
{
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];

    public int Count => _ids.Count;

    /// <summary>The citizen's number, given on first sight.</summary>
    public int Of(string citizenId)
    {
        if (!_numbers.TryGetValue(citizenId, out var number))
        {
            number = _ids.Count;
            _numbers.Add(citizenId, number);
            _ids.Add(citizenId);
        }

        return number;
    }

    public bool TryFind(string citizenId, out int number) => _numbers.TryGetValue(citizenId, out number);

    /// <summary>The one kept instance of this id (the first one seen).</summary>
    public string Intern(string citizenId) => _ids[Of(citizenId)];

    public string IdOf(int number) => _ids[number];

    /// <summary>Gives the citizen's number to another id (erasure, anonymisation); the old id is forgotten.</summary>
    public void Rename(string citizenId, string newId)
    {
        if (citizenId == newId || !_numbers.Remove(citizenId, out var number))
        {
            return;
        }

        _numbers[newId] = number;
        _ids[number] = newId;
    }

    /// <summary>Every id with its number, in number order.</summary>
    public IEnumerable<(int Number, string Id)> All() => _ids.Select((id, n) => (n, id));
}
