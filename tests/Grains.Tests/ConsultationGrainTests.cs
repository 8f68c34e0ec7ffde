using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>
/// Grains on a real silo with the real journal and Orleans ADO.NET grain storage; run once per
/// storage (StorageSpecs.cs).
/// </summary>
public abstract class ConsultationGrainTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    protected abstract Dictionary<string, string?> StorageSettings { get; }

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(new(StorageSettings) { ["Dialogue:SubmissionsPerMinute"] = "1000" });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task<string> Create(ConsultationMode mode = ConsultationMode.Qa, ModerationMode moderation = ModerationMode.Post, ConsultationStatus status = ConsultationStatus.Open)
    {
        var id = ConsultationIds.New();
        await _silo.Grains.GetGrain<IConsultationGrain>(id).Create(new CreateConsultation("Balai warga", "", mode, moderation, status, "admin"));
        return id;
    }

    private ICitizenGrain Citizen(string? id = null) => _silo.Grains.GetGrain<ICitizenGrain>(id ?? CitizenIds.New());

    [Fact]
    public async Task Submission_is_acknowledged_with_id_seq_and_status_and_listed()
    {
        var id = await Create();
        var result = await Citizen().Submit(id, "c1", "Kapan jalan diperbaiki?");

        Assert.Equal(new SubmitResult(SubmitOutcome.Accepted, "i1", 1, ItemStatus.Published), result);
        var page = await _silo.Grains.GetGrain<IConsultationGrain>(id).GetItems(new Viewer(ViewerRole.Participant, null), 0, 10);
        Assert.Equal("Kapan jalan diperbaiki?", Assert.Single(page.Items).Text);
    }

    [Fact]
    public async Task Repeated_client_id_returns_the_first_result_and_stores_once()
    {
        var id = await Create();
        var citizen = Citizen();
        var first = await citizen.Submit(id, "same", "one");
        var again = await citizen.Submit(id, "same", "two");

        Assert.Equal(SubmitOutcome.Repeat, again.Outcome);
        Assert.Equal(first.ItemId, again.ItemId);
        Assert.Equal(first.Seq, again.Seq);
        var info = await _silo.Grains.GetGrain<IConsultationGrain>(id).GetInfo();
        Assert.Equal(1, info!.ItemCount);
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_submission_store_it_once()
    {
        var id = await Create();
        var citizen = Citizen();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => citizen.Submit(id, "burst", "sekali saja")));

        Assert.Single(results.Select(r => r.ItemId).Distinct());
        Assert.Single(results, r => r.Outcome == SubmitOutcome.Accepted);
        Assert.Equal(1, (await _silo.Grains.GetGrain<IConsultationGrain>(id).GetInfo())!.ItemCount);
    }

    [Fact]
    public async Task Many_citizens_at_once_get_distinct_gapless_sequence_numbers()
    {
        var id = await Create();
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Citizen().Submit(id, "c", $"pertanyaan {i}")));

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Select(r => r.Seq).Order());
        Assert.Equal(200, results.Select(r => r.ItemId).Distinct().Count());
    }

    [Fact]
    public async Task Votes_replace_earlier_votes_and_tally_once_per_citizen()
    {
        var id = await Create(ConsultationMode.Deliberation);
        var item = await Citizen().Submit(id, "c1", "Pajak kendaraan perlu turun.");
        var voter = Citizen();

        await voter.Vote(id, item.ItemId, 1);
        var last = await voter.Vote(id, item.ItemId, -1);
        await Citizen().Vote(id, item.ItemId, -1);
        var third = await Citizen().Vote(id, item.ItemId, 0);

        Assert.Equal(new VoteTally(0, 0, 1, 0), last.Tally);
        Assert.Equal(new VoteTally(0, 0, 2, 1), third.Tally);
    }

    [Fact]
    public async Task Pre_moderated_items_wait_pending_and_cannot_be_voted_on()
    {
        var id = await Create(moderation: ModerationMode.Pre);
        var author = Citizen();
        var item = await author.Submit(id, "c1", "Tolong periksa anggaran.");

        Assert.Equal(ItemStatus.Pending, item.Status);
        var error = await Assert.ThrowsAsync<DialogueException>(() => Citizen().Vote(id, item.ItemId, 1));
        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Equal(ItemStatus.Pending, Assert.Single(await author.GetOwnItems(id)).Status);
    }

    [Fact]
    public async Task Closed_consultation_refuses_submissions()
    {
        var id = await Create(status: ConsultationStatus.Closed);
        var error = await Assert.ThrowsAsync<DialogueException>(() => Citizen().Submit(id, "c1", "text"));
        Assert.Equal(ErrorCodes.Closed, error.Code);
    }

    [Fact]
    public async Task Unknown_consultation_is_not_found_and_not_created_by_asking()
    {
        var id = ConsultationIds.New();
        var error = await Assert.ThrowsAsync<DialogueException>(() => Citizen().Submit(id, "c1", "text"));
        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Null(await _silo.Grains.GetGrain<IConsultationGrain>(id).GetInfo());
    }

    [Fact]
    public async Task Creating_twice_under_one_id_is_a_conflict()
    {
        var id = await Create();
        var error = await Assert.ThrowsAsync<DialogueException>(() =>
            _silo.Grains.GetGrain<IConsultationGrain>(id).Create(new CreateConsultation("x", "", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "a")));
        Assert.Equal(ErrorCodes.Conflict, error.Code);
    }

    [Fact]
    public async Task Pseudonym_is_stable_in_a_consultation_and_unlinkable_across_consultations()
    {
        var citizen = Citizen();
        var a = await citizen.GetPseudonym("kaaaaaaa");
        Assert.Equal(a, await citizen.GetPseudonym("kaaaaaaa"));
        Assert.NotEqual(a, await citizen.GetPseudonym("kbbbbbbb"));
        Assert.NotEqual(a, await Citizen().GetPseudonym("kaaaaaaa"));
    }

    [Fact]
    public async Task Gateway_observer_receives_each_change_with_its_seq()
    {
        var id = await Create();
        var observer = new RecordingObserver();
        var reference = _silo.Grains.CreateObjectReference<IConsultationObserver>(observer);
        await _silo.Grains.GetGrain<IConsultationGrain>(id).Subscribe(reference);

        var item = await Citizen().Submit(id, "c1", "Live!");
        await Citizen().Vote(id, item.ItemId, 1);

        var submitted = await observer.WaitFor(c => c.Seq == 1);
        Assert.Equal(("Live!", "Live!"), (submitted.Staff!.Text, submitted.Public!.Text));
        Assert.Null(submitted.Votes);

        // A vote alone travels as a compact count, without the item's views.
        var voted = await observer.WaitFor(c => c.Votes is { Votes.Up: 1 });
        Assert.Equal((2L, item.ItemId), (voted.Seq, voted.ItemId));
        Assert.Null(voted.Staff);
    }

    private sealed class RecordingObserver : IConsultationObserver
    {
        private readonly List<ItemChange> _seen = [];

        public Task OnChanges(string consultationId, ChangeBatch batch)
        {
            lock (_seen)
            {
                _seen.AddRange(batch.Items);
            }

            return Task.CompletedTask;
        }

        public async Task<ItemChange> WaitFor(Func<ItemChange, bool> match)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                lock (_seen)
                {
                    if (_seen.FirstOrDefault(match) is { } found)
                    {
                        return found;
                    }
                }

                await Task.Delay(20);
            }

            throw new TimeoutException("The observer saw no matching change within 10 s.");
        }
    }
}
