using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>Self-described segments on a real silo with SQLite storage: answers, writes, restarts, erasure, retention.</summary>
[Trait("Category", "unit")]
public sealed class SegmentsGrainTests
{
    private static readonly Actor Admin = new("Admin Kota", ViewerRole.Admin);

    private static readonly SegmentQuestion Kelurahan = new("kelurahan", "Kelurahan", ["Menteng", "Cikini", "Gondangdia"]);

    private static async Task<string> Open(TestSilo silo, AdmissionMode admission = AdmissionMode.Open, int? retentionDays = null)
    {
        var id = ConsultationIds.New();
        await silo.Grains.GetGrain<IConsultationGrain>(id).Create(
            new CreateConsultation("Musrenbang", "d", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin") { Admission = admission, RetentionDays = retentionDays });
        await silo.Grains.GetGrain<ISegmentsGrain>(id).Define([Kelurahan], Admin);
        return id;
    }

    private static Dictionary<string, string?> Answer(string kelurahan) => new() { ["kelurahan"] = kelurahan };

    /// <summary>The stored version of the segments grain's row: it grows by one with each write.</summary>
    private static async Task<long> StoredVersion(TestSilo silo, string id)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(silo.DataDirectory, "grains.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Version FROM OrleansStorage WHERE GrainTypeString LIKE '%segments%' AND GrainIdExtensionString LIKE $id";
        command.Parameters.AddWithValue("$id", $"%{id}%");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Answers_arriving_together_share_writes_a_repeat_writes_nothing_and_all_survive_a_restart()
    {
        await using var silo = await TestSilo.StartAsync();
        var id = await Open(silo);
        var citizens = Enumerable.Range(0, 300).Select(_ => CitizenIds.New()).ToArray();
        var options = Kelurahan.Options;
        var before = await StoredVersion(silo, id);

        await Task.WhenAll(citizens.Select((c, n) => silo.Grains.GetGrain<ICitizenGrain>(c).Describe(id, Answer(options[n % 3]))));

        var writes = await StoredVersion(silo, id) - before;
        Assert.InRange(writes, 1, citizens.Length - 1); // grouped: fewer writes than answers (each answer acknowledged only once stored)

        // The same answer again: acknowledged, nothing written.
        var repeated = await silo.Grains.GetGrain<ICitizenGrain>(citizens[0]).Describe(id, Answer(options[0]));
        Assert.Equal("Menteng", repeated["kelurahan"]);
        Assert.Equal(before + writes, await StoredVersion(silo, id));

        await silo.StopHostAsync();
        await silo.StartHostAsync();
        var segments = silo.Grains.GetGrain<ISegmentsGrain>(id);
        for (var n = 0; n < citizens.Length; n += 37)
        {
            Assert.Equal(options[n % 3], (await segments.GetAnswers(citizens[n]))["kelurahan"]);
        }

        var breakdown = await segments.GetBreakdown();
        Assert.Equal(300, breakdown.Answered);
        Assert.Equal([100, 100, 100], breakdown.Questions[0].Participants.Select(c => c.Count));
        Assert.Null(breakdown.Contributors); // nobody posted
    }

    [Fact]
    public async Task Answers_are_changeable_withdrawable_and_rate_limited_and_bad_ones_change_nothing()
    {
        await using var silo = await TestSilo.StartAsync();
        var id = await Open(silo);
        var citizen = silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New());

        await citizen.Describe(id, Answer("Cikini"));
        var error = await Assert.ThrowsAsync<DialogueException>(() => citizen.Describe(id, Answer("Kemang")));
        Assert.Equal(ErrorCodes.InvalidSegments, error.Code);
        Assert.Equal("Cikini", (await citizen.GetDescription(id))["kelurahan"]);

        await citizen.Describe(id, Answer("Menteng"));
        Assert.Equal("Menteng", (await citizen.GetDescription(id))["kelurahan"]);
        await citizen.Describe(id, new Dictionary<string, string?> { ["kelurahan"] = null });
        Assert.Empty(await citizen.GetDescription(id));

        // Six changes a minute at most (four made above, the refused one included): each rewrites everyone's answers.
        await citizen.Describe(id, Answer("Gondangdia"));
        await citizen.Describe(id, Answer("Cikini"));
        var limited = await Assert.ThrowsAsync<DialogueException>(() => citizen.Describe(id, Answer("Menteng")));
        Assert.Equal(ErrorCodes.RateLimited, limited.Code);
        Assert.NotNull(limited.RetryAfterSeconds);
        Assert.Equal("Cikini", (await citizen.GetDescription(id))["kelurahan"]);
    }

    [Fact]
    public async Task Admission_and_status_rules_hold_and_changed_questions_drop_answers_that_no_longer_fit()
    {
        await using var silo = await TestSilo.StartAsync();
        var id = await Open(silo, AdmissionMode.Code);
        var segments = silo.Grains.GetGrain<ISegmentsGrain>(id);

        var refused = await Assert.ThrowsAsync<DialogueException>(() => segments.Answer("c-open", Answer("Menteng"), null));
        Assert.Equal(ErrorCodes.AdmissionRequired, refused.Code);
        await segments.Answer("c-joined", Answer("Menteng"), new Admission(AdmissionMode.Code, id));
        await segments.Answer("c-other", Answer("Cikini"), new Admission(AdmissionMode.Code, id));

        // Cikini is dropped from the options: that answer goes, the other stays.
        await segments.Define([Kelurahan with { Options = ["Menteng", "Gondangdia"] }], Admin);
        Assert.Empty(await segments.GetAnswers("c-other"));
        Assert.Equal("Menteng", (await segments.GetAnswers("c-joined"))["kelurahan"]);

        await silo.Grains.GetGrain<IConsultationGrain>(id).Update(new UpdateConsultation(null, null, ConsultationStatus.Closed, null, null, null, Admin));
        var closed = await Assert.ThrowsAsync<DialogueException>(() => segments.Answer("c-joined", Answer("Gondangdia"), new Admission(AdmissionMode.Code, id)));
        Assert.Equal(ErrorCodes.Closed, closed.Code);
        Assert.Equal("Menteng", (await segments.GetAnswers("c-joined"))["kelurahan"]);
    }

    [Fact]
    public async Task A_data_request_shows_the_answers_and_erasure_removes_them_for_good()
    {
        await using var silo = await TestSilo.StartAsync();
        var id = await Open(silo);
        var citizenId = CitizenIds.New();
        var citizen = silo.Grains.GetGrain<ICitizenGrain>(citizenId);
        await citizen.Describe(id, Answer("Gondangdia"));

        var data = await citizen.GetData(null);
        Assert.Equal("Gondangdia", data.Segments[id]["kelurahan"]);

        await citizen.Erase();
        Assert.Empty(await silo.Grains.GetGrain<ISegmentsGrain>(id).GetAnswers(citizenId));
        await silo.StopHostAsync();
        await silo.StartHostAsync();
        Assert.Empty(await silo.Grains.GetGrain<ISegmentsGrain>(id).GetAnswers(citizenId));
        Assert.Empty((await silo.Grains.GetGrain<ICitizenGrain>(citizenId).GetData(null)).Segments);
    }

    [Fact]
    public async Task At_the_end_of_retention_the_breakdown_is_kept_and_every_answer_dropped()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var silo = await TestSilo.StartAsync(clock: clock);
        var id = await Open(silo, retentionDays: 30);
        var citizens = Enumerable.Range(0, 12).Select(_ => CitizenIds.New()).ToArray();
        foreach (var (citizen, n) in citizens.Select((c, n) => (c, n)))
        {
            var grain = silo.Grains.GetGrain<ICitizenGrain>(citizen);
            await grain.Describe(id, Answer(n < 7 ? "Menteng" : "Cikini"));
            if (n < 6)
            {
                await grain.Submit(id, $"c{n}", $"Usulan warga nomor {n} tentang lampu jalan");
            }
        }

        var live = await silo.Grains.GetGrain<ISegmentsGrain>(id).GetBreakdown();
        Assert.False(live.Final);
        Assert.Equal(6, live.Contributors);
        Assert.Equal([7, 5, 0], live.Questions[0].Participants.Select(c => c.Count));
        Assert.Equal("Cikini", Assert.Single(live.Questions[0].Missing).Option); // 5 of 12 answered Cikini, none of them posted

        await silo.Grains.GetGrain<IConsultationGrain>(id).Update(new UpdateConsultation(null, null, ConsultationStatus.Closed, null, null, null, Admin));
        clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal([id], await silo.Services.GetRequiredService<RetentionJob>().RunOnceAsync());

        var segments = silo.Grains.GetGrain<ISegmentsGrain>(id);
        Assert.All(citizens, c => Assert.Empty(segments.GetAnswers(c).Result));
        var final = await segments.GetBreakdown();
        Assert.True(final.Final);
        Assert.Equal(6, final.Contributors);
        Assert.Equal([7, 5, 0], final.Questions[0].Participants.Select(c => c.Count));
        await silo.StopHostAsync();
        await silo.StartHostAsync();
        Assert.True((await silo.Grains.GetGrain<ISegmentsGrain>(id).GetBreakdown()).Final);
        var error = await Assert.ThrowsAsync<DialogueException>(() => silo.Grains.GetGrain<ISegmentsGrain>(id).Define([Kelurahan], Admin));
        Assert.Equal(ErrorCodes.Closed, error.Code);
    }
}
