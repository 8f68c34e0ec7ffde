using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Storage;
using OpenGov.Dialogue.Storage.Sqlite;

namespace OpenGov.Dialogue.Tests;

/// <summary>The retention job and the completion of an interrupted erasure, on a real silo with SQLite storage.</summary>
[Trait("Category", "unit")]
public sealed class RecordRetentionTests
{
    private static readonly Actor Admin = new("Admin Kota", ViewerRole.Admin);

    private static async Task<string> AllJournalText(TestSilo silo, string id)
    {
        var rows = new List<string>();
        await foreach (var record in silo.Services.GetRequiredService<IDialogueJournal>().ReadAsync(id, 0))
        {
            rows.Add($"{record.ClientKey} {record.Payload}");
        }

        return string.Join('\n', rows);
    }

    [Fact]
    public async Task After_the_retention_period_identity_links_are_destroyed_and_the_anonymous_record_stays()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var silo = await TestSilo.StartAsync(clock: clock);
        var id = ConsultationIds.New();
        var consultation = silo.Grains.GetGrain<IConsultationGrain>(id);
        await consultation.Create(new CreateConsultation("Musyawarah", "d", ConsultationMode.Deliberation, ModerationMode.Post, ConsultationStatus.Open, "admin") { RetentionDays = 30 });
        var citizens = Enumerable.Range(0, 3).Select(_ => CitizenIds.New()).ToArray();
        foreach (var (citizen, n) in citizens.Select((c, n) => (c, n)))
        {
            await silo.Grains.GetGrain<ICitizenGrain>(citizen).Submit(id, $"c{n}", $"Usulan nomor {n}");
        }

        foreach (var citizen in citizens)
        {
            await silo.Grains.GetGrain<ICitizenGrain>(citizen).Vote(id, "i1", 1);
            await silo.Grains.GetGrain<ICitizenGrain>(citizen).Vote(id, "i2", -1);
        }

        var pseudonymsBefore = (await consultation.GetItems(new Viewer(ViewerRole.Moderator, null), 0, 100)).Items.Select(i => (i.Id, i.Author)).ToList();
        var job = silo.Services.GetRequiredService<RetentionJob>();

        // Open: never due. Closed but within the period: not due either.
        clock.Advance(TimeSpan.FromDays(40));
        Assert.Empty(await job.RunOnceAsync());
        await consultation.Update(new UpdateConsultation(null, null, ConsultationStatus.Closed, null, null, null, Admin));
        clock.Advance(TimeSpan.FromDays(29));
        Assert.Empty(await job.RunOnceAsync());
        var exportBefore = await consultation.Export();
        Assert.All(citizens, c => Assert.Contains(c, AllJournalText(silo, id).Result, StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal([id], await job.RunOnceAsync());

        var journal = await AllJournalText(silo, id);
        Assert.All(citizens, c => Assert.DoesNotContain(c, journal, StringComparison.Ordinal));
        Assert.Contains("anon-0", journal, StringComparison.Ordinal);
        foreach (var citizen in citizens)
        {
            Assert.Empty((await silo.Grains.GetGrain<ICitizenGrain>(citizen).GetData(null)).Consultations);
        }

        // The public record is the same: items, their pseudonyms and tallies, the vote events and matrix by the same numbers.
        var exportAfter = await consultation.Export();
        Assert.Equal(exportBefore.Items, exportAfter.Items);
        Assert.Equal(exportBefore.Votes, exportAfter.Votes);
        Assert.Equal(exportBefore.Matrix, exportAfter.Matrix);
        Assert.Equal(pseudonymsBefore, (await consultation.GetItems(new Viewer(ViewerRole.Moderator, null), 0, 100)).Items.Select(i => (i.Id, i.Author)).ToList());
        Assert.Equal("retention", (await consultation.GetModerationLog(0, 100)).Entries[^1].Action);
        Assert.NotNull((await consultation.GetInfo())!.AnonymisedAt);
        Assert.Empty(await job.RunOnceAsync());

        // And so it stays after a restart.
        await silo.StopHostAsync();
        await silo.StartHostAsync();
        var again = silo.Grains.GetGrain<IConsultationGrain>(id);
        Assert.Equal(exportBefore.Matrix, (await again.Export()).Matrix);
        Assert.True((await again.VerifyModerationLog()).Valid);
        Assert.All(citizens, c => Assert.DoesNotContain(c, AllJournalText(silo, id).Result, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_erasure_stored_but_not_yet_rewritten_when_the_process_died_is_finished_on_the_next_activation()
    {
        await using var silo = await TestSilo.StartAsync();
        var id = ConsultationIds.New();
        await silo.Grains.GetGrain<IConsultationGrain>(id).Create(new CreateConsultation("Tanya", "d", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        var citizen = CitizenIds.New();
        await silo.Grains.GetGrain<ICitizenGrain>(citizen).Submit(id, "a", "Teks-terputus yang harus hilang");
        await silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Submit(id, "b", "Teks orang lain");
        await silo.Grains.GetGrain<ICitizenGrain>(citizen).Vote(id, "i2", 1);
        var lastSeq = (await silo.Grains.GetGrain<IConsultationGrain>(id).GetInfo())!.LastSeq;
        await silo.StopHostAsync();

        // As the grain writes it, before its rewrite: the erasure event with the citizen id still in it.
        await using (var journal = new SqliteJournal(new SqliteDatabase(silo.DataDirectory), StorageRetry.Create(), NullLogger<SqliteJournal>.Instance))
        {
            var erased = new ContributionsErased("erased-test", ["i1"], citizen);
            await journal.AppendAsync(ConsultationEventCodec.Encode(id, lastSeq + 1, erased, null, DateTimeOffset.UtcNow));
        }

        await silo.StartHostAsync();
        var consultation = silo.Grains.GetGrain<IConsultationGrain>(id);
        var items = (await consultation.GetItems(new Viewer(ViewerRole.Moderator, null), 0, 10)).Items.ToDictionary(i => i.Id);
        Assert.Equal(ConsultationLedger.ErasedText, items["i1"].Text);
        Assert.Equal(0, items["i2"].Votes.Up);
        var text = await AllJournalText(silo, id);
        Assert.DoesNotContain("Teks-terputus", text, StringComparison.Ordinal);
        Assert.DoesNotContain(citizen, text, StringComparison.Ordinal);
        Assert.Contains("Teks orang lain", text, StringComparison.Ordinal);
    }
}
