using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

/// <summary>Orders public items for the live Q&amp;A list and the presenter screen.</summary>
public static class Ranking
{
    /// <summary>Votes with time decay: a fresh question with a few votes rises above an old one with many.</summary>
    public static double Trending(int votes, TimeSpan age) => votes / Math.Pow(Math.Max(0, age.TotalHours) + 2, 1.5);

    public static IEnumerable<ItemView> Order(IEnumerable<ItemView> items, RankingSort sort, bool pinnedFirst, DateTimeOffset now)
    {
        var ordered = sort switch
        {
            RankingSort.Recent => items.OrderByDescending(i => i.CreatedAt),
            RankingSort.Trending => items.OrderByDescending(i => Trending(Score(i), now - i.CreatedAt)).ThenBy(i => i.CreatedAt),
            _ => items.OrderByDescending(i => Score(i)).ThenBy(i => i.CreatedAt),
        };
        return pinnedFirst ? ordered.OrderByDescending(i => i.Highlighted).ThenByDescending(i => i.Pinned) : ordered;
    }

    /// <summary>Upvotes in Q&amp;A; agrees in deliberation.</summary>
    public static int Score(ItemView item) => item.Votes.Up + item.Votes.Agree;
}
