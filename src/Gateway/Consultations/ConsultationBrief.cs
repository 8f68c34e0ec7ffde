using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Consultations;

/// <summary>
/// What a mayor's office reads first about one consultation: the largest and the most-voted concerns (topic
/// groups, each with its extractive brief), what grew in the trend window, the most-voted posts, and the
/// questions still unanswered or overdue. Every sentence and post in it is quoted verbatim from published
/// posts and names them; nothing is generated. Built from the public views (no suggestions, no review data),
/// so the same brief goes to the dashboard, the JSON export and the printable report.
/// </summary>
/// <param name="Overdue">Answers "under review" whose promised date (<see cref="OfficialAnswer.Due"/>) has passed (UTC date).</param>
public sealed record ConsultationBrief(
    string ConsultationId,
    DateTimeOffset At,
    int RecentMinutes,
    int Posts,
    int Votes,
    int Recent,
    IReadOnlyList<BriefConcern> Largest,
    IReadOnlyList<BriefConcern> MostVoted,
    IReadOnlyList<BriefConcern> Growing,
    IReadOnlyList<BriefPost> TopPosts,
    IReadOnlyList<BriefPost> Unanswered,
    IReadOnlyList<BriefPost> Overdue)
{
    /// <summary>How many entries each list holds at most.</summary>
    public const int Concerns = 3;
    public const int PostsListed = 5;
    public const int QuestionsListed = 10;

    public static ConsultationBrief Build(ConsultationInfo info, TopicsView? topics, IReadOnlyList<ItemView> published, DateTimeOffset now)
    {
        var groups = topics is { Status: TopicsStatus.Grouped } ? topics.Groups.Select(Concern).ToList() : [];
        var visible = published.Where(i => i.Visible && !i.Erased && i.MergedInto is null).ToList();
        var questions = info.Mode == ConsultationMode.Qa;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new ConsultationBrief(
            info.Id,
            now,
            topics?.RecentMinutes ?? 10,
            topics?.Items ?? visible.Count,
            topics?.Votes ?? visible.Sum(VotesOf),
            topics?.Recent ?? 0,
            [.. groups.OrderByDescending(g => g.Posts).ThenBy(g => g.GroupId).Take(Concerns)],
            [.. groups.Where(g => g.Votes > 0).OrderByDescending(g => g.Votes).ThenBy(g => g.GroupId).Take(Concerns)],
            [.. groups.Where(g => g.Recent > 0).OrderByDescending(g => g.Recent).ThenBy(g => g.GroupId).Take(Concerns)],
            [.. visible.Where(i => VotesOf(i) > 0).OrderByDescending(VotesOf).ThenBy(i => i.CreatedAt).Take(PostsListed).Select(Post)],
            questions ? [.. visible.Where(i => i.Answer is null).OrderByDescending(VotesOf).ThenBy(i => i.CreatedAt).Take(QuestionsListed).Select(Post)] : [],
            questions ? [.. visible.Where(i => i.Answer is { Status: AnswerStatus.UnderReview, Due: { } due } && due < today).OrderBy(i => i.Answer!.Due).Take(QuestionsListed).Select(Post)] : []);
    }

    /// <summary>What a brief is built from: the topic groups as the public sees them (3 typical posts each) and the published posts, most voted first.</summary>
    public static async Task<(TopicsView Topics, IReadOnlyList<ItemView> Published)> ReadInputs(IGrainFactory grains, string consultationId)
    {
        var topics = await grains.GetGrain<ITopicsGrain>(consultationId).Get(3);
        var published = await grains.GetGrain<IConsultationGrain>(consultationId).GetRanking(RankingSort.Popular, false, 1000);
        return (FeedFrames.PublicTopics(topics), published);
    }

    /// <summary>The brief of a consultation now.</summary>
    public static async Task<ConsultationBrief> Read(IGrainFactory grains, ConsultationInfo info, DateTimeOffset now)
    {
        var (topics, published) = await ReadInputs(grains, info.Id);
        return Build(info, topics, published, now);
    }

    private static BriefConcern Concern(TopicGroupView g) => new(g.Id, g.Terms, g.Size, g.Votes, g.Recent, g.Brief);

    private static BriefPost Post(ItemView i) => new(i.Id, i.Text, VotesOf(i), i.CreatedAt, i.Answer?.Due);

    private static int VotesOf(ItemView i) => i.Votes.Total();
}

/// <param name="Sentences">The group's extractive brief: verbatim sentences, each with the posts it stands for.</param>
public sealed record BriefConcern(int GroupId, IReadOnlyList<string> Terms, int Posts, int Votes, int Recent, IReadOnlyList<BriefSentence> Sentences);

public sealed record BriefPost(string ItemId, string Text, int Votes, DateTimeOffset CreatedAt, DateOnly? Due);

public static class BriefEndpoints
{
    public static void MapBrief(this IEndpointRouteBuilder app)
    {
        // Staff (officials, moderators, admins): the same content the public report prints, live.
        app.MapGet("/api/consultations/{id}/brief", async (string id, IGrainFactory grains, TimeProvider clock) =>
        {
            var info = await ConsultationAccess.Existing(grains, id);
            return TypedResults.Ok(await ConsultationBrief.Read(grains, info, clock.GetUtcNow()));
        })
        .WithTags("Topics")
        .WithName("GetConsultationBrief")
        .WithSummary("The consultation's brief: largest, most-voted and growing concerns with verbatim sentences, top posts, unanswered and overdue questions.")
        .RequireAuthorization(Policies.Staff);
    }
}
