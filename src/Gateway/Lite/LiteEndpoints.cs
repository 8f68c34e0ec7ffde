using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;

namespace OpenGov.Dialogue.Gateway.Lite;

/// <summary>
/// <c>/lite?c=&lt;id&gt;</c>: the consultation as server-rendered HTML with forms and links only, for
/// cheap phones, text browsers and JavaScript switched off (docs/lite.md). It reads the same grains as
/// the web page (the public ranking, the citizen's own contributions) and writes through the same
/// citizen grain, so moderation, rate limits, sanctions, text and vote rules are the ones every channel
/// gets. Each form posts with an anti-forgery token and answers with a redirect (Post-Redirect-Get), so
/// reloading never posts twice; anything refused is an HTML page with the matching status that changed nothing.
/// </summary>
public static class LiteEndpoints
{
    public const string Path = "/lite";

    /// <summary>Items per list and page: top 10 and newest 10 on the first page, "more" for the rest.</summary>
    public const int PageSize = 10;

    /// <summary>The ranking read serves at most 1,000 items: pages beyond are not offered.</summary>
    private const int MaxPages = 100;

    /// <summary>An item's text in a list, encoded: at most this many bytes, then "read more". Sized so 20 items fit the 15 KB page.</summary>
    private const int ListTextBytes = 280;

    private const int OwnTextBytes = 200;
    private const int NoteBytes = 200;
    private const int DescriptionBytes = 600;
    private const int FullTextBytes = 6000;
    private const int AnswerBytes = 5500;
    private const int FullDescriptionBytes = 11_000;

    /// <summary>Own posts on the first page; the rest are one link away.</summary>
    private const int OwnShown = 3;

    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    public static void MapLite(this IEndpointRouteBuilder app)
    {
        var lite = app.MapGroup(Path).WithTags("Lite").ExcludeFromDescription();
        lite.MapGet("", Show);
        lite.MapPost("/join", Join).RequireRateLimiting(LiteSetup.IdentityLimit);
        lite.MapPost("/post", Post);
        lite.MapPost("/vote", Vote);
        lite.MapPost("/appeal", Appeal);
        lite.MapGet("/data", Data);
        lite.MapPost("/erase", Erase);
    }

    /// <summary>The rate limiter's refusal of a new identity, as a page (called from the limiter's OnRejected).</summary>
    public static Task RefuseIdentity(HttpContext http)
    {
        var words = LiteText.For(http.Request);
        var id = http.Request.Query["c"].ToString();
        var page = ErrorPage(words, ConsultationIds.IsValid(id) ? id : string.Empty, "identities");
        Headers(http);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(page, Encoding.UTF8);
    }

    private static async Task<IResult> Show(HttpContext http, IGrainFactory grains, LiteIdentity identity, IAntiforgery antiforgery, IOptions<DialogueOptions> options)
    {
        var words = LiteText.For(http.Request);
        var query = http.Request.Query;
        var id = query["c"].ToString();
        if (id.Length == 0)
        {
            return Html(http, EntryPage(words, null), StatusCodes.Status200OK);
        }

        var user = ConsultationIds.IsValid(id) ? identity.Read(http, id) : null;
        if (await ConsultationAccess.FindReadable(grains, id, user ?? Anonymous) is not { } info)
        {
            // The same answer for "no such consultation" and "not readable": nothing to probe.
            return NotFound(http, words);
        }

        var open = info.Status == ConsultationStatus.Open;
        var token = open ? antiforgery.GetAndStoreTokens(http).RequestToken! : string.Empty;
        var consultation = grains.GetGrain<IConsultationGrain>(id);
        var citizen = user is null ? null : Roles.CitizenIdOf(user);

        // One read gives both the own posts (as the web page's "my posts" shows them) and the own votes.
        var mine = citizen is null ? null : await consultation.GetContributions(citizen);
        var view = new View(info, new LitePage(words, id), token, open && citizen is not null, mine, options.Value.MaxTextLength) { Message = query["m"].ToString() };
        var itemId = query["i"].ToString();
        var list = query["list"].ToString();
        if (itemId.Length > 0)
        {
            return await ItemPage(http, view, consultation, itemId);
        }

        var number = int.TryParse(query["p"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, MaxPages) : 1;
        return list switch
        {
            "top" or "new" => Html(http, await ListPage(view, consultation, list, number), StatusCodes.Status200OK),
            // The data-rights forms are offered in a closed consultation too: the rights outlive the event.
            "mine" when mine is not null => Html(http, MinePage(view, number, antiforgery.GetAndStoreTokens(http).RequestToken!), StatusCodes.Status200OK),
            "about" => Html(http, AboutPage(view), StatusCodes.Status200OK),
            _ => Html(http, await MainPage(view, consultation, view.Message), StatusCodes.Status200OK),
        };
    }

    private static async Task<IResult> Join(HttpContext http, IGrainFactory grains, LiteIdentity identity, IAntiforgery antiforgery, JoinCodes codes, AdmissionFailures failures)
    {
        var words = LiteText.For(http.Request);
        var (id, info, joined, refusal) = await Checked(http, grains, identity, antiforgery, words, member: false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (info!.Status != ConsultationStatus.Open)
        {
            return Refuse(http, words, id, ErrorCodes.Closed);
        }

        if (joined is not null)
        {
            return SeeOther(http, id, words, "m=joined");
        }

        var form = await http.Request.ReadFormAsync();
        switch (info.Admission)
        {
            case AdmissionMode.Code:
                if (failures.Exhausted(http))
                {
                    http.Response.Headers.RetryAfter = "600";
                    return Refuse(http, words, id, ErrorCodes.RateLimited);
                }

                if (!codes.Accepts(info.Id, info.JoinCodeMinutes, form["code"].ToString()))
                {
                    failures.Count(http);
                    return Refuse(http, words, id, AdmissionEndpoints.ErrorJoinCode);
                }

                break;
            case AdmissionMode.Invite:
                if (failures.Exhausted(http))
                {
                    http.Response.Headers.RetryAfter = "600";
                    return Refuse(http, words, id, ErrorCodes.RateLimited);
                }

                // The same one-time redemption as POST /api/auth/invite: a spent code is refused like a wrong one.
                var hash = InviteCodes.Hash(info.Id, form["invite"].ToString());
                if (hash is null || !await InviteCodes.Shard(grains, info.Id, hash).Redeem(hash))
                {
                    failures.Count(http);
                    return Refuse(http, words, id, AdmissionEndpoints.ErrorInvite);
                }

                break;
        }

        identity.Issue(http, id, info.Admission);
        return SeeOther(http, id, words, "m=joined");
    }

    private static async Task<IResult> Post(HttpContext http, IGrainFactory grains, LiteIdentity identity, IAntiforgery antiforgery, IOptions<DialogueOptions> options)
    {
        var words = LiteText.For(http.Request);
        var (id, info, user, refusal) = await Checked(http, grains, identity, antiforgery, words, member: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = await http.Request.ReadFormAsync();
        var text = form["text"].ToString();
        try
        {
            var result = await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user!))
                .Submit(id, form["k"].ToString(), text, Roles.AdmissionOf(user!));
            return SeeOther(http, id, words, result.Status == ItemStatus.Pending ? "m=pending" : "m=sent");
        }
        catch (DialogueException ex)
        {
            // What was typed comes back in a form, so a refusal never loses it.
            var token = antiforgery.GetAndStoreTokens(http).RequestToken!;
            var keep = ex.Code is ErrorCodes.InvalidText or ErrorCodes.RateLimited && info!.Status == ConsultationStatus.Open
                ? (Action<LitePage>)(page => PostForm(page, info, token, text.Length > options.Value.MaxTextLength ? text[..options.Value.MaxTextLength] : text, options.Value.MaxTextLength, limit: false))
                : null;
            return Refuse(http, words, id, ex, keep);
        }
    }

    private static async Task<IResult> Vote(HttpContext http, IGrainFactory grains, LiteIdentity identity, IAntiforgery antiforgery)
    {
        var words = LiteText.For(http.Request);
        var (id, _, user, refusal) = await Checked(http, grains, identity, antiforgery, words, member: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = await http.Request.ReadFormAsync();
        if (!TryParseVote(form["v"].ToString(), out var itemId, out var value))
        {
            return Refuse(http, words, id, ErrorCodes.InvalidVote, StatusCodes.Status400BadRequest);
        }

        try
        {
            // The grain writes nothing when the vote is already what it says (a second press, a resubmitted form).
            await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user!)).Vote(id, itemId, value, Roles.AdmissionOf(user!));
        }
        catch (DialogueException ex) when (ex.Code == ErrorCodes.NotFound)
        {
            return Refuse(http, words, id, "item-hidden", StatusCodes.Status404NotFound);
        }
        catch (DialogueException ex)
        {
            return Refuse(http, words, id, ex, null);
        }

        return SeeOther(http, id, words, ReturnQuery(http.Request.Query, "m=voted"));
    }

    /// <summary>The author of a rejected post asks once for another look, as on the web page.</summary>
    private static async Task<IResult> Appeal(HttpContext http, IGrainFactory grains, LiteIdentity identity, IAntiforgery antiforgery)
    {
        var words = LiteText.For(http.Request);
        var (id, _, user, refusal) = await Checked(http, grains, identity, antiforgery, words, member: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var itemId = http.Request.Query["i"].ToString();
        var form = await http.Request.ReadFormAsync();
        try
        {
            await grains.GetGrain<IConsultationGrain>(id).Appeal(Roles.RequireCitizen(user!), itemId, form["text"].ToString());
        }
        catch (DialogueException ex) when (ex.Code == ErrorCodes.NotFound)
        {
            return Refuse(http, words, id, "item-hidden", StatusCodes.Status404NotFound);
        }
        catch (DialogueException ex)
        {
            return Refuse(http, words, id, ex, null);
        }

        return SeeOther(http, id, words, ReturnQuery(http.Request.Query, "m=appealed"));
    }

    /// <summary>
    /// Everything held about the device's participant (the web page's "download my data", <c>/api/me/data</c>), as a
    /// JSON file a text browser can save. Only with this consultation's identity cookie; the consultation need not be
    /// open or even readable any more, since the right of access outlives it.
    /// </summary>
    private static async Task<IResult> Data(HttpContext http, IGrainFactory grains, LiteIdentity identity)
    {
        var words = LiteText.For(http.Request);
        var id = http.Request.Query["c"].ToString();
        if (!ConsultationIds.IsValid(id))
        {
            return NotFound(http, words);
        }

        if (identity.Read(http, id) is not { } user)
        {
            return Refuse(http, words, id, "join-first", StatusCodes.Status403Forbidden);
        }

        var data = await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).GetData(null);
        Headers(http);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"data-saya-{id}.json\"";
        return TypedResults.Json(data);
    }

    /// <summary>
    /// Erases the device's participant's contributions (texts replaced by a marker, votes withdrawn), as
    /// <c>/api/me/erase</c> does: only with the form's token and its ticked confirmation, else nothing changes.
    /// </summary>
    private static async Task<IResult> Erase(HttpContext http, IGrainFactory grains, LiteIdentity identity, IAntiforgery antiforgery)
    {
        var words = LiteText.For(http.Request);
        var (id, _, user, refusal) = await Checked(http, grains, identity, antiforgery, words, member: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = await http.Request.ReadFormAsync();
        if (form["confirm"].ToString() != "yes")
        {
            return Refuse(http, words, id, "confirmation-required", StatusCodes.Status400BadRequest);
        }

        try
        {
            await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user!)).Erase();
        }
        catch (DialogueException ex)
        {
            return Refuse(http, words, id, ex, null);
        }

        return SeeOther(http, id, words, "list=mine&m=erased");
    }

    /// <summary>
    /// What every form checks first: the consultation id, the anti-forgery token, that the device may read the
    /// consultation, and with <paramref name="member"/> that it joined it ("join first" otherwise). The device's
    /// identity comes back with the consultation (null when it has not joined).
    /// </summary>
    private static async Task<(string Id, ConsultationInfo? Info, ClaimsPrincipal? User, IResult? Refusal)> Checked(
        HttpContext http, IGrainFactory grains, LiteIdentity identity, IAntiforgery antiforgery, LiteText words, bool member)
    {
        var id = http.Request.Query["c"].ToString();
        if (!ConsultationIds.IsValid(id))
        {
            return (string.Empty, null, null, NotFound(http, words));
        }

        // Before anything is read or written: a form from another site carries no valid token.
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return (id, null, null, Refuse(http, words, id, "antiforgery", StatusCodes.Status400BadRequest));
        }

        var user = identity.Read(http, id);
        if (await ConsultationAccess.FindReadable(grains, id, user ?? Anonymous) is not { } info)
        {
            return (id, null, null, NotFound(http, words));
        }

        return member && user is null
            ? (id, info, null, Refuse(http, words, id, "join-first", StatusCodes.Status403Forbidden))
            : (id, info, user, null);
    }

    /// <summary>The entry page with "not found": for an unknown consultation and for one the device may not read alike.</summary>
    private static IResult NotFound(HttpContext http, LiteText words) =>
        Html(http, EntryPage(words, words.Error(ErrorCodes.NotFound)), StatusCodes.Status404NotFound);

    private static bool TryParseVote(string vote, out string itemId, out int value)
    {
        itemId = string.Empty;
        value = 0;
        var colon = vote.LastIndexOf(':');
        if (colon is < 2 or > 20 || vote[0] != 'i' || vote.AsSpan(1, colon - 1).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        itemId = vote[..colon];
        return int.TryParse(vote.AsSpan(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value is >= -1 and <= 1;
    }

    private static async Task<string> MainPage(View view, IConsultationGrain consultation, string message)
    {
        var (info, page, words) = (view.Info, view.Page, view.Page.Words);
        page.Begin(info.Title);
        page.Raw("<h1>").Heading(info.Title).Raw("</h1>");
        if (info.Description.Length > 0)
        {
            page.Raw("<p>");
            if (page.Clip(info.Description, DescriptionBytes))
            {
                page.Raw(" ").Link(page.Url(query: "list=about"), words["about.read"]);
            }

            page.Raw("</p>");
        }

        Done(page, message);

        if (info.Status != ConsultationStatus.Open)
        {
            page.Notice(words["closed.note"]);
        }
        else if (view.Mine is null)
        {
            JoinForm(page, info, view.Token);
        }
        else
        {
            PostForm(page, info, view.Token, null, view.MaxTextLength, limit: true);
        }

        var top = await consultation.GetRanking(RankingSort.Popular, true, PageSize + 1);
        var recent = await consultation.GetRanking(RankingSort.Recent, false, PageSize + 1);
        VoteFormStart(view, string.Empty);
        List(view, "top", words["list.top"], top, 1);
        List(view, "new", words["list.new"], recent, 1);
        VoteFormEnd(view);
        if (view.Mine is { } mine)
        {
            page.Raw("<h2 id=\"mine\">").Text(words["mine.title"]).Raw("</h2>");
            Own(view, [.. mine.Items.Reverse().Take(OwnShown)], detailed: false);
            if (mine.Items.Count > OwnShown)
            {
                page.Raw("<p>").Link(page.Url(query: "list=mine"), words.Format("mine.all", "n", LitePage.Int(mine.Items.Count))).Raw("</p>");
            }
        }

        return page.End();
    }

    private static async Task<string> ListPage(View view, IConsultationGrain consultation, string list, int number)
    {
        var (info, page, words) = (view.Info, view.Page, view.Page.Words);
        var items = await consultation.GetRanking(list == "top" ? RankingSort.Popular : RankingSort.Recent, list == "top", (number * PageSize) + 1);
        page.Begin(info.Title, $"list={list}&p={LitePage.Int(number)}");
        page.Raw("<p>").Link(page.Url(), words["list.back"]).Raw("</p><h1>").Heading(info.Title).Raw("</h1>");
        Done(page, view.Message);
        VoteFormStart(view, $"list={list}&p={LitePage.Int(number)}");
        List(view, list, $"{words[list == "top" ? "list.top" : "list.new"]} \u00b7 {words.Format("list.page", "n", LitePage.Int(number))}", [.. items.Skip((number - 1) * PageSize)], number);
        VoteFormEnd(view);
        return page.End();
    }

    private static string MinePage(View view, int number, string token)
    {
        var (info, page, words) = (view.Info, view.Page, view.Page.Words);
        var items = view.Mine!.Items.Reverse().Skip((number - 1) * PageSize).Take(PageSize + 1).ToList();
        page.Begin(info.Title, $"list=mine&p={LitePage.Int(number)}");
        page.Raw("<p>").Link(page.Url(), words["list.back"]).Raw("</p><h1 id=\"mine\">").Text(words["mine.title"]).Raw("</h1>");
        Done(page, view.Message);
        Own(view, [.. items.Take(PageSize)], detailed: true);
        if (items.Count > PageSize && number < MaxPages)
        {
            page.Raw("<p>").Link(page.Url(query: $"list=mine&p={LitePage.Int(number + 1)}"), words["list.more"]).Raw("</p>");
        }

        DataRights(page, token);
        return page.End();
    }

    /// <summary>"My data": the download link and the erase form with its confirmation box (no script: the box is the confirmation).</summary>
    private static void DataRights(LitePage page, string token)
    {
        var words = page.Words;
        page.Raw("<h2 id=\"data\">").Text(words["data.title"]).Raw("</h2><p>").Link(page.Url("/lite/data"), words["data.download"]).Raw("</p>");
        page.FormStart(page.Url("/lite/erase"), token);
        page.Raw("<p><small>").Text(words["data.eraseHint"]).Raw("</small></p><input type=\"checkbox\" id=\"confirm\" name=\"confirm\" value=\"yes\" required> <label for=\"confirm\">")
            .Text(words["data.eraseConfirm"]).Raw("</label><br><button type=\"submit\">").Text(words["data.erase"]).Raw("</button></form>");
    }

    private static string AboutPage(View view)
    {
        var (info, page, words) = (view.Info, view.Page, view.Page.Words);
        page.Begin(info.Title, "list=about");
        page.Raw("<p>").Link(page.Url(), words["list.back"]).Raw("</p><h1>").Heading(info.Title).Raw("</h1><p class=\"t\">");
        page.Clip(info.Description, FullDescriptionBytes);
        return page.Raw("</p>").End();
    }

    /// <summary>One item in full: its text, votes and official answer; the author also sees their own hidden posts here.</summary>
    private static async Task<IResult> ItemPage(HttpContext http, View view, IConsultationGrain consultation, string itemId)
    {
        var (info, page, words) = (view.Info, view.Page, view.Page.Words);
        var own = view.Mine?.Items.FirstOrDefault(i => i.Id == itemId);
        var item = own is not null && own.Status is not (ItemStatus.Published or ItemStatus.Answered)
            ? own
            : (await consultation.GetRanking(RankingSort.Recent, false, 1000)).FirstOrDefault(i => i.Id == itemId);
        if (item is null)
        {
            return Refuse(http, words, info.Id, "item-hidden", StatusCodes.Status404NotFound);
        }

        page.Begin(info.Title, $"i={Uri.EscapeDataString(item.Id)}");
        page.Raw("<p>").Link(page.Url(), words["list.back"]).Raw("</p><h1>").Heading(info.Title).Raw("</h1>");
        Done(page, view.Message);
        var isPublic = item.Status is ItemStatus.Published or ItemStatus.Answered;
        if (isPublic)
        {
            VoteFormStart(view, $"i={Uri.EscapeDataString(item.Id)}");
            page.Raw("<p class=\"t\">");
            page.Clip(item.Erased ? words["item.erased"] : item.Text, FullTextBytes);
            page.Raw("</p>");
            Facts(view, item);
            VoteFormEnd(view);
        }
        else
        {
            page.Raw("<p class=\"t\">");
            page.Clip(item.Text, FullTextBytes);
            page.Raw("</p>");
            OwnStatus(view, item);
            if (item.Status == ItemStatus.Rejected && !item.Appealed && view.Token.Length > 0)
            {
                page.FormStart(page.Url("/lite/appeal", $"i={Uri.EscapeDataString(item.Id)}"), view.Token)
                    .Raw("<label for=\"text\">").Text(words["mine.appealText"]).Raw("</label><br><textarea id=\"text\" name=\"text\" rows=\"2\"")
                    .Raw($" maxlength=\"{LitePage.Int(view.MaxTextLength)}\"></textarea><br><button type=\"submit\">").Text(words["mine.appeal"]).Raw("</button></form>");
            }
        }

        if (item.Answer is { } answer)
        {
            page.Raw("<h2>").Text(words["item.answer"]).Raw("</h2><p class=\"t\">");
            page.Clip(answer.Text, AnswerBytes);
            page.Raw("</p><p><small>").Text(words.Format("item.answerBy", "name", answer.By).Replace("{date}", page.Date(answer.At), StringComparison.Ordinal));
            if (answer.Status is { } status)
            {
                page.Raw(" \u00b7 ").Text(words.Label("answer", AnswerCode(status)));
            }

            if (answer.Owner is { } owner)
            {
                page.Raw(" \u00b7 ").Text(words.Format("item.owner", "owner", owner));
            }

            if (answer.Due is { } due)
            {
                page.Raw(" \u00b7 ").Text(words.Format("item.due", "date", page.Date(new DateTimeOffset(due.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))));
            }

            page.Raw("</small></p>");
        }

        return Html(http, page.End(), StatusCodes.Status200OK);
    }

    private static void JoinForm(LitePage page, ConsultationInfo info, string token)
    {
        var words = page.Words;
        page.Raw("<h2>").Text(words["join.title"]).Raw("</h2>");
        page.FormStart(page.Url("/lite/join"), token);
        switch (info.Admission)
        {
            case AdmissionMode.Code:
                page.Raw("<label for=\"code\">").Text(words["admit.code"]).Raw("</label><br><input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"20\" required><br><small>")
                    .Text(words["admit.codeHint"]).Raw("</small><br>");
                break;
            case AdmissionMode.Invite:
                page.Raw("<label for=\"invite\">").Text(words["admit.invite"]).Raw("</label><br><input type=\"text\" id=\"invite\" name=\"invite\" autocomplete=\"off\" maxlength=\"30\" required><br><small>")
                    .Text(words["admit.inviteHint"]).Raw("</small><br>");
                break;
        }

        page.Raw("<small>").Text(words["join.open"]).Raw("</small><br><button type=\"submit\">").Text(words["join.submit"]).Raw("</button></form>");
    }

    private static void PostForm(LitePage page, ConsultationInfo info, string token, string? text, int maxLength, bool limit)
    {
        var words = page.Words;
        var label = words[info.Mode == ConsultationMode.Qa ? "ask.label.qa" : "ask.label.deliberation"];
        page.FormStart(page.Url("/lite/post"), token);

        // The retry key of this form: a form sent twice (a reload, a double tap) is stored once.
        page.Raw("<input type=\"hidden\" name=\"k\" value=\"").Raw(Guid.NewGuid().ToString("N")).Raw("\"><label for=\"text\">").Text(label)
            .Raw("</label><br><textarea id=\"text\" name=\"text\" rows=\"3\"").Raw(limit ? $" maxlength=\"{LitePage.Int(maxLength)}\"" : string.Empty).Raw(" required>")
            .Text(text).Raw("</textarea><br><small>").Text(words.Format("ask.hint", "n", LitePage.Int(maxLength)))
            .Raw("</small><br><button type=\"submit\">").Text(words["ask.submit"]).Raw("</button></form>");
    }

    private static void VoteFormStart(View view, string returnQuery)
    {
        if (view.CanVote)
        {
            // One form around the lists: one anti-forgery token for twenty items, and each button names its item and value.
            view.Page.FormStart(view.Page.Url("/lite/vote", returnQuery), view.Token);
        }
    }

    private static void VoteFormEnd(View view)
    {
        if (view.CanVote)
        {
            view.Page.Raw("</form>");
        }
    }

    private static void List(View view, string list, string title, IReadOnlyList<ItemView> items, int number)
    {
        var (page, words) = (view.Page, view.Page.Words);
        page.Raw("<h2>").Text(title).Raw("</h2>");
        if (items.Count == 0)
        {
            page.Raw("<p>").Text(words["list.empty"]).Raw("</p>");
            return;
        }

        page.Raw($"<ol start=\"{LitePage.Int(((number - 1) * PageSize) + 1)}\">");
        foreach (var item in items.Take(PageSize))
        {
            page.Raw("<li><p>");
            var cut = page.Clip(item.Erased ? words["item.erased"] : item.Text, ListTextBytes);
            if (cut || item.Answer is not null)
            {
                page.Raw(" ").Link(page.Url(query: $"i={Uri.EscapeDataString(item.Id)}"), words[item.Answer is not null ? "item.answer" : "item.read"]);
            }

            page.Raw("</p>");
            Facts(view, item);
            page.Raw("</li>");
        }

        page.Raw("</ol>");
        if (items.Count > PageSize && number < MaxPages)
        {
            page.Raw("<p>").Link(page.Url(query: $"list={list}&p={LitePage.Int(number + 1)}"), words["list.more"]).Raw("</p>");
        }
    }

    /// <summary>Author, tally, marks and the vote buttons of a public item.</summary>
    private static void Facts(View view, ItemView item)
    {
        var (info, page, words) = (view.Info, view.Page, view.Page.Words);
        var qa = info.Mode == ConsultationMode.Qa;
        int? mine = view.Votes.TryGetValue(item.Id, out var v) ? v : null;
        page.Raw("<small>").Text(words.Format("item.by", "name", item.Author)).Raw(" \u00b7 ");
        if (qa)
        {
            page.Text(words.Format("item.votes", "n", item.Votes.Up.ToString("N0", words.Culture)));
        }
        else
        {
            page.Text($"{words["item.agree"]} {item.Votes.Agree.ToString("N0", words.Culture)} \u00b7 {words["item.disagree"]} {item.Votes.Disagree.ToString("N0", words.Culture)} \u00b7 {words["item.pass"]} {item.Votes.Pass.ToString("N0", words.Culture)}");
            if (mine is { } value)
            {
                page.Raw(" \u00b7 ").Text(words.Format("item.yours", "v", words[value switch { 1 => "item.agree", -1 => "item.disagree", _ => "item.pass" }]));
            }
        }

        if (item.Pinned)
        {
            page.Raw(" \u00b7 ").Text(words["item.pinned"]);
        }

        if (item.Status == ItemStatus.Answered)
        {
            page.Raw(" \u00b7 ").Text(words["item.answered"]);
        }

        page.Raw("</small>");
        if (!view.CanVote)
        {
            return;
        }

        page.Raw("<br>");
        if (qa)
        {
            Button(page, item.Id, mine == 1 ? 0 : 1, words[mine == 1 ? "item.unvote" : "item.upvote"]);
        }
        else
        {
            Button(page, item.Id, 1, words["item.agree"]);
            Button(page, item.Id, -1, words["item.disagree"]);
            Button(page, item.Id, 0, words["item.pass"]);
        }
    }

    private static void Button(LitePage page, string itemId, int value, string label) =>
        page.Raw("<button name=\"v\" value=\"").Text($"{itemId}:{LitePage.Int(value)}").Raw("\">").Text(label).Raw("</button>");

    /// <summary>The author's posts with their status, the rejection's reason and note, and the answer, as on the web page.</summary>
    private static void Own(View view, IReadOnlyList<ItemView> items, bool detailed)
    {
        var (page, words) = (view.Page, view.Page.Words);
        if (items.Count == 0)
        {
            page.Raw("<p>").Text(words["mine.empty"]).Raw("</p>");
            return;
        }

        page.Raw("<ul>");
        foreach (var item in items)
        {
            page.Raw("<li><p>");
            var cut = page.Clip(item.Erased ? words["item.erased"] : item.Text, detailed ? ListTextBytes * 2 : OwnTextBytes);
            if (cut || item.Answer is not null)
            {
                page.Raw(" ").Link(page.Url(query: $"i={Uri.EscapeDataString(item.Id)}"), words[item.Answer is not null ? "item.answer" : "item.read"]);
            }

            page.Raw("</p>");
            OwnStatus(view, item);
            if (detailed && item.Status == ItemStatus.Rejected && !item.Appealed && view.Token.Length > 0)
            {
                page.Raw(" ").Link(page.Url(query: $"i={Uri.EscapeDataString(item.Id)}"), words["mine.appeal"]);
            }

            page.Raw("</li>");
        }

        page.Raw("</ul>");
    }

    private static void OwnStatus(View view, ItemView item)
    {
        var (page, words) = (view.Page, view.Page.Words);
        page.Raw("<small><strong>").Text(page.Status(item.Status)).Raw("</strong>");
        if (item.RejectionReason is { } reason)
        {
            page.Raw(" \u00b7 ").Text(words.Format("mine.reason", "reason", words.Label("reason", reason)));
        }

        if (item.RejectionNote is { } note)
        {
            page.Raw(" \u00b7 ");
            page.Clip(words.Format("mine.note", "note", note), NoteBytes);
        }

        if (item.Appealed)
        {
            page.Raw(" \u00b7 ").Text(words["mine.appealed"]);
        }

        page.Raw("</small>");
    }

    private static void Done(LitePage page, string message)
    {
        if (message is "sent" or "pending" or "voted" or "joined" or "appealed" or "erased")
        {
            page.Notice(page.Words[$"done.{message}"]);
        }
    }

    private static string EntryPage(LiteText words, string? error)
    {
        var page = new LitePage(words, string.Empty);
        page.Begin(words["app.name"]);
        page.Raw("<h1>").Text(words["app.name"]).Raw("</h1>");
        if (error is not null)
        {
            page.Notice(error, error: true);
        }

        page.Raw("<form method=\"get\" action=\"/lite/\"><label for=\"c\">").Text(words["join.code"])
            .Raw("</label><br><input type=\"text\" id=\"c\" name=\"c\" autocomplete=\"off\" maxlength=\"20\" required><input type=\"hidden\" name=\"lang\" value=\"")
            .Raw(words.Code).Raw("\"><br><button type=\"submit\">").Text(words["join.go"]).Raw("</button></form>");
        return page.End();
    }

    private static string ErrorPage(LiteText words, string id, string code, Action<LitePage>? keep = null)
    {
        var page = new LitePage(words, id);
        page.Begin(words["error.title"]);
        page.Raw("<h1>").Text(words["error.title"]).Raw("</h1>");
        page.Notice(words.Error(code), error: true);
        if (keep is not null)
        {
            page.Raw("<p>").Text(words["error.typed"]).Raw("</p>");
            keep(page);
        }

        if (id.Length > 0)
        {
            page.Raw("<p>").Link(page.Url(), words["error.back"]).Raw("</p>");
        }

        return page.End();
    }

    private static IResult Refuse(HttpContext http, LiteText words, string id, string code, int? status = null) =>
        Html(http, ErrorPage(words, id, code), status ?? Problems.StatusOf(code));

    private static IResult Refuse(HttpContext http, LiteText words, string id, DialogueException ex, Action<LitePage>? keep)
    {
        if (ex.RetryAfterSeconds is { } retry)
        {
            http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        return Html(http, ErrorPage(words, id, ex.Code, keep), Problems.StatusOf(ex.Code));
    }

    /// <summary>Post-Redirect-Get: 303 to the page, with a message key (never text) to show there.</summary>
    private static IResult SeeOther(HttpContext http, string id, LiteText words, string query)
    {
        Headers(http);
        http.Response.Headers.Location = $"{LitePage.PagePath}?c={id}&lang={words.Code}&{query}";
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>Where a vote returns: the list page or item it was cast on, rebuilt from checked values only (no open redirect).</summary>
    private static string ReturnQuery(IQueryCollection query, string message)
    {
        var list = query["list"].ToString();
        var item = query["i"].ToString();
        var number = int.TryParse(query["p"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, MaxPages) : 1;
        if (list is "top" or "new")
        {
            return $"list={list}&p={LitePage.Int(number)}&{message}";
        }

        return item.Length is > 1 and <= 20 && item[0] == 'i' && !item.AsSpan(1).ContainsAnyExceptInRange('0', '9')
            ? $"i={item}&{message}"
            : message;
    }

    private static string AnswerCode(AnswerStatus status) => status switch
    {
        AnswerStatus.Accepted => "accepted",
        AnswerStatus.UnderReview => "under_review",
        _ => "declined",
    };

    private static IResult Html(HttpContext http, string html, int status)
    {
        Headers(http);
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>Personal pages: never stored by a cache; the strict policy is a second line of defence behind encoding.</summary>
    private static void Headers(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = LitePage.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>What one render needs: the consultation, the page being written, the form token, the own posts and votes.</summary>
    private sealed class View(ConsultationInfo info, LitePage page, string token, bool canVote, CitizenContributions? mine, int maxTextLength)
    {
        public ConsultationInfo Info { get; } = info;

        public LitePage Page { get; } = page;

        public string Token { get; } = token;

        public bool CanVote { get; } = canVote;

        public CitizenContributions? Mine { get; } = mine;

        public int MaxTextLength { get; } = maxTextLength;

        /// <summary>The key of the message a redirect asked for (<c>m=</c>); only known keys are shown.</summary>
        public string Message { get; init; } = string.Empty;

        public IReadOnlyDictionary<string, int> Votes { get; } = mine?.Votes.ToDictionary(v => v.ItemId, v => v.Value, StringComparer.Ordinal) ?? [];
    }

}
