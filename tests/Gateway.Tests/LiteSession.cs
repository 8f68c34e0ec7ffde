using System.Net;
using System.Text.RegularExpressions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// One device on the page without JavaScript, as a plain HTTP client with its own cookie jar: it reads a
/// page, takes the anti-forgery token from the form as a browser would, and posts the form. Redirects are
/// not followed, so tests see the Post-Redirect-Get answer itself.
/// </summary>
public sealed partial class LiteSession : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="forwardedFor">Sent as X-Forwarded-For: the client address the gateway sees when 127.0.0.1 is a known proxy.</param>
    public LiteSession(Uri baseAddress, string? acceptLanguage = null, string? forwardedFor = null)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = baseAddress };
        if (acceptLanguage is not null)
        {
            _http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        if (forwardedFor is not null)
        {
            _http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The last page read, for the form token.</summary>
    public string LastPage { get; private set; } = string.Empty;

    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> Get(string url)
    {
        var response = await _http.GetAsync(url);
        LastPage = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, LastPage, response);
    }

    /// <summary>Posts a form with the token of the last page read (or none when <paramref name="withToken"/> is false).</summary>
    public async Task<HttpResponseMessage> Post(string action, bool withToken = true, params (string Name, string Value)[] fields)
    {
        var values = fields.ToList();
        if (withToken)
        {
            values.Add(("af", TokenOf(LastPage)));
        }

        if (FieldOf(LastPage, "k") is { } key && !values.Any(v => v.Name == "k"))
        {
            values.Add(("k", key));
        }

        return await _http.PostAsync(action, new FormUrlEncodedContent(values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value))));
    }

    /// <summary>Reads the page, then posts the form; returns the answer to the post.</summary>
    public async Task<HttpResponseMessage> Submit(string pageUrl, string action, params (string Name, string Value)[] fields)
    {
        await Get(pageUrl);
        return await Post(action, true, fields);
    }

    public static string TokenOf(string html) => FieldOf(html, "af") ?? throw new InvalidOperationException("The page has no form token.");

    public static string? FieldOf(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{name}\" value=\"([^\"]+)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    /// <summary>The page as text without tags, whitespace collapsed: what a reader sees.</summary>
    public static string Visible(string html) =>
        WebUtility.HtmlDecode(Spaces().Replace(Tags().Replace(html, " "), " "));

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
