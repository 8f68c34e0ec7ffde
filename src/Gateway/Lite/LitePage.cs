using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Lite;

/// <summary>
/// Writes the HTML of the page without JavaScript. Every text that came from a person (items, answers,
/// notes, titles, pseudonyms) goes through <see cref="Text"/> or <see cref="Clip"/>, which HTML-encode it;
/// nothing else writes user text. Long texts are clipped by their encoded size, not their length, so a
/// list page stays within its byte budget whatever people type (quotes and emoji grow when encoded).
/// </summary>
public sealed class LitePage(LiteText text, string consultationId)
{
    /// <summary>The page's only style: inline, allowed by its hash in the Content-Security-Policy, so the page is one request.</summary>
    public const string Style =
        "body{font:16px/1.4 sans-serif;max-width:40em;margin:0 auto;padding:0 .5em}h1{font-size:1.5em}li{margin:.7em 0}li p{margin:.2em 0}small{color:#555}" +
        "textarea,input[type=text]{width:100%;box-sizing:border-box}button{margin:.1em .2em .1em 0}" +
        ".m{background:#e8f4e8;padding:.4em}.e{background:#fde8e8;padding:.4em}.t{white-space:pre-line}";

    /// <summary>No script at all, no other origin; forms post only here; styles only the inline one above.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; script-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "img-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The page's own links end in a slash: lynx matches a cookie's path against the request path with its
    /// query string, so a cookie for /lite reaches /lite/?c=… but not /lite?c=…; every other client treats both alike.
    /// </summary>
    public const string PagePath = "/lite/";

    // Encodes only what HTML needs (< > & " ' and a few invisible characters); Indonesian and other scripts stay as they are.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>A consultation's title may be 200 characters: in the tab and the heading it is clipped, so it cannot eat the page's budget.</summary>
    private const int TitleBytes = 120;

    private const int HeadingBytes = 400;

    private readonly StringBuilder _html = new(8 * 1024);

    public LiteText Words => text;

    public string ConsultationId => consultationId;

    /// <summary>A link into this consultation's page with the current language; <paramref name="query"/> is built by the caller from checked values only.</summary>
    public string Url(string path = PagePath, string? query = null) =>
        $"{path}?c={consultationId}&lang={text.Code}{(string.IsNullOrEmpty(query) ? string.Empty : "&" + query)}";

    public LitePage Begin(string title, string? languageQuery = null)
    {
        _html.Append("<!doctype html><html lang=\"").Append(text.Code).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
        Clip(title, TitleBytes);
        _html.Append(" \u2013 ").Append(text["app.name"]).Append("</title><style>").Append(Style).Append("</style></head><body><header><p><small>");
        var other = text.Other;
        var switchTo = $"{PagePath}?{(consultationId.Length > 0 ? $"c={consultationId}&" : string.Empty)}lang={other.Code}{(string.IsNullOrEmpty(languageQuery) ? string.Empty : "&" + languageQuery)}";
        _html.Append("<a href=\"").Append(Attr(switchTo)).Append("\" hreflang=\"").Append(other.Code).Append("\" lang=\"").Append(other.Code).Append("\">")
            .Append(text["lang.switch"]).Append("</a> \u00b7 ").Append(text["lite.note"]).Append("</small></p></header><main>");
        return this;
    }

    public string End()
    {
        _html.Append("</main></body></html>");
        return _html.ToString();
    }

    /// <summary>Writes raw markup: only for literal tags and words from <see cref="LiteText"/>, never for anything a person typed.</summary>
    public LitePage Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    public LitePage Text(string? value)
    {
        _html.Append(Encoder.Encode(value ?? string.Empty));
        return this;
    }

    public LitePage Heading(string title)
    {
        Clip(title, HeadingBytes);
        return this;
    }

    /// <summary>The text, encoded, cut at a character boundary so the encoded form stays within <paramref name="maxBytes"/> UTF-8 bytes; returns whether it was cut.</summary>
    public bool Clip(string? value, int maxBytes)
    {
        value ??= string.Empty;
        var whole = Encoder.Encode(value);
        if (Encoding.UTF8.GetByteCount(whole) <= maxBytes)
        {
            _html.Append(whole);
            return false;
        }

        var bytes = 0;
        var budget = maxBytes - 3;
        foreach (var rune in value.EnumerateRunes())
        {
            var encoded = Encoder.Encode(rune.ToString());
            var size = Encoding.UTF8.GetByteCount(encoded);
            if (bytes + size > budget)
            {
                break;
            }

            _html.Append(encoded);
            bytes += size;
        }

        _html.Append('\u2026');
        return true;
    }

    /// <summary>A message from the server's own vocabulary (never user text) in a status box.</summary>
    public LitePage Notice(string message, bool error = false)
    {
        _html.Append(error ? "<p class=\"e\" role=\"alert\">" : "<p class=\"m\" role=\"status\">");
        return Text(message).Raw("</p>");
    }

    public LitePage Link(string href, string label)
    {
        _html.Append("<a href=\"").Append(Attr(href)).Append("\">");
        return Text(label).Raw("</a>");
    }

    public LitePage FormStart(string action, string antiforgeryToken)
    {
        _html.Append("<form method=\"post\" action=\"").Append(Attr(action)).Append("\"><input type=\"hidden\" name=\"")
            .Append(LiteSetup.AntiforgeryField).Append("\" value=\"").Append(Attr(antiforgeryToken)).Append("\">");
        return this;
    }

    public LitePage Number(int value)
    {
        _html.Append(value.ToString("N0", text.Culture));
        return this;
    }

    public string Date(DateTimeOffset at) => at.ToString("d MMM yyyy", text.Culture);

    public static string Attr(string value) => Encoder.Encode(value);

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The label of an item's status, as the participant page shows it in "my posts".</summary>
    public string Status(ItemStatus status) => status switch
    {
        ItemStatus.Pending => text["status.pending"],
        ItemStatus.Published => text["status.published"],
        ItemStatus.Rejected => text["status.rejected"],
        ItemStatus.Answered => text["status.answered"],
        ItemStatus.Merged => text["status.merged"],
        _ => text["status.archived-item"],
    };
}
