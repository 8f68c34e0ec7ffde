using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Primitives;

namespace OpenGov.Dialogue.Gateway.WebUi;

/// <summary>
/// Serves the web UI that the build compiles from <c>src/Gateway/WebUi</c> (Vite) and embeds in
/// this assembly, so the pages travel with the DLL wherever it runs (tests, publish, containers).
/// Pages are never cached and carry a strict Content-Security-Policy; hashed assets are cached
/// for a year. Everything is held in memory with a gzip copy made once at start.
/// </summary>
public static class WebUiSetup
{
    private const string ResourcePrefix = "webui/";

    /// <summary>
    /// No inline script or style, no third-party origin: a second line of defence behind text-only rendering.
    /// connect-src 'self' covers the page's own ws:/wss: origin (CSP level 3); listing ws: wss: would allow sockets to any host.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private static readonly (string Route, string File)[] Pages =
    [
        ("/", "index.html"),
        ("/moderate", "moderate.html"),
        ("/dashboard", "dashboard.html"),
        ("/presenter", "presenter.html"),
        ("/report", "report.html"),
        ("/staff", "staff.html"),
        ("/welcome", "welcome.html"),
    ];

    public static void MapWebUi(this IEndpointRouteBuilder app)
    {
        var assets = WebUiAssets.Load(typeof(WebUiSetup).Assembly);
        foreach (var (route, file) in Pages)
        {
            app.MapGet(route, (HttpContext context) => Serve(context, assets, file, page: true)).ExcludeFromDescription();
        }

        app.MapGet("/assets/{*path}", (string path, HttpContext context) => Serve(context, assets, $"assets/{path}", page: false)).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext context, WebUiAssets assets, string path, bool page)
    {
        if (!assets.Files.TryGetValue(path, out var asset))
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.Vary = "Accept-Encoding";
        headers.XContentTypeOptions = "nosniff";
        if (page)
        {
            headers.CacheControl = "no-cache";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }
        else
        {
            // Vite puts a content hash in every asset name: a changed file is a new URL.
            headers.CacheControl = "public, max-age=31536000, immutable";
        }

        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var gzip = asset.Gzip is not null && AcceptsGzip(context.Request.Headers.AcceptEncoding);
        if (gzip)
        {
            headers.ContentEncoding = "gzip";
        }

        return TypedResults.Bytes(gzip ? asset.Gzip! : asset.Content, asset.ContentType);
    }

    private static bool AcceptsGzip(StringValues acceptEncoding) =>
        acceptEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));

    private sealed record Asset(byte[] Content, byte[]? Gzip, string ContentType, string ETag);

    private sealed class WebUiAssets(FrozenDictionary<string, Asset> files)
    {
        public FrozenDictionary<string, Asset> Files { get; } = files;

        public static WebUiAssets Load(Assembly assembly)
        {
            var types = new FileExtensionContentTypeProvider();
            var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var content = buffer.ToArray();
                var path = name[ResourcePrefix.Length..];
                var contentType = types.TryGetContentType(path, out var type) ? type : "application/octet-stream";
                if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType is "application/javascript" or "text/javascript")
                {
                    contentType += "; charset=utf-8";
                }

                var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"";
                files[path] = new Asset(content, Compressible(path) ? Compress(content) : null, contentType, etag);
            }

            return new WebUiAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
        }

        private static bool Compressible(string path) =>
            Path.GetExtension(path) is ".html" or ".js" or ".css" or ".svg" or ".json";

        private static byte[] Compress(byte[] content)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
            {
                gzip.Write(content);
            }

            return output.ToArray();
        }
    }
}
