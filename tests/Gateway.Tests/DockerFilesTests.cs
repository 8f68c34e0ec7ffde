using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using OpenGov.Dialogue.Gateway.Hosting;
using OpenGov.Dialogue.Silo;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// What can be checked of docker/ without a container runtime (none works on these machines): the compose file
/// parses and builds only stages the Dockerfile has, the Dockerfile copies only files that exist and reach the
/// build, every setting names a real option, and ports agree between the configuration, EXPOSE, compose and nginx.
/// ProxiedClusterTests runs the same topology as processes.
/// </summary>
[Trait("Category", "unit")]
public sealed class DockerFilesTests
{
    /// <summary>Images pulled rather than built: official ones, named with a version.</summary>
    private static readonly Regex PinnedOfficialImage = new(@"^(postgres|nginx):\d+(\.\d+)*$");

    /// <summary>The settings that name each image's listening ports (the ports it EXPOSEs).</summary>
    private static readonly Dictionary<string, string[]> PortSettings = new(StringComparer.Ordinal)
    {
        ["silo"] = ["Dialogue__SiloPort", "Dialogue__GatewayPort", "Dialogue__SiloHttpPort"],
        ["gateway"] = ["ASPNETCORE_HTTP_PORTS", "Dialogue__MetricsPort"],
    };

    private readonly Dockerfile _dockerfile = Dockerfile.Load();
    private readonly ComposeFile _compose = ComposeFile.Load();
    private readonly string _nginx = File.ReadAllText(Path.Combine(DockerFiles.DockerDirectory, "nginx.conf"));

    [Fact]
    public void Compose_builds_only_stages_of_the_Dockerfile_and_pulls_only_pinned_official_images()
    {
        Assert.NotEmpty(_compose.BuiltServices());
        foreach (var name in _compose.Services.Keys.Cast<string>())
        {
            var service = _compose.Service(name);
            if (ComposeFile.Map(service, "build") is { } build)
            {
                var context = Path.GetFullPath(Path.Combine(DockerFiles.DockerDirectory, (string)build["context"]!));
                Assert.Equal(DockerFiles.Root.TrimEnd('/'), context.TrimEnd('/'));
                Assert.True(File.Exists(Path.Combine(context, (string)build["dockerfile"]!)), $"{name}: no {build["dockerfile"]}");
                Assert.Contains((string)build["target"]!, _dockerfile.Stages.Select(s => s.Name));
            }
            else
            {
                var image = Assert.IsType<string>(service["image"]);
                Assert.Matches(PinnedOfficialImage, image);
            }

            // Bind mounts (./file:/path) name files of the repository.
            foreach (var volume in _compose.Strings(name, "volumes").Where(v => v.StartsWith('.')))
            {
                var source = Path.Combine(DockerFiles.DockerDirectory, volume.Split(':')[0]);
                Assert.True(File.Exists(source) || Directory.Exists(source), $"{name} mounts {source}, which does not exist");
            }
        }
    }

    [Fact]
    public void Every_file_the_Dockerfile_copies_exists_and_reaches_the_build_context()
    {
        var ignored = DockerIgnore();
        var copies = _dockerfile.Stages.SelectMany(s => s.Copies.Select(c => (Stage: s, Copy: c))).ToList();
        Assert.NotEmpty(copies);
        foreach (var (stage, copy) in copies)
        {
            if (copy.FromStage is { } from)
            {
                // --from names an earlier stage.
                Assert.Contains(from, _dockerfile.Stages.TakeWhile(s => s != stage).Select(s => s.Name));
                continue;
            }

            foreach (var source in copy.Sources)
            {
                var matches = Matching(source).ToList();
                Assert.True(matches.Count > 0, $"COPY {source} (stage {stage.Name}) matches no file");
                foreach (var file in matches)
                {
                    Assert.False(ignored(file), $"COPY {source} (stage {stage.Name}): {file} is excluded by .dockerignore");
                }
            }
        }
    }

    [Fact]
    public void The_restore_layer_has_every_project_and_import_the_published_projects_need()
    {
        var build = _dockerfile.Stages.Single(s => s.Runs.Any(r => r.Contains("dotnet publish", StringComparison.Ordinal)));
        var firstRestore = build.Runs.FindIndex(r => r.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(firstRestore >= 0, "the build stage restores before it copies the sources");
        var beforeRestore = build.Copies.Where(c => c.FromStage is null && c.RunsBefore <= firstRestore)
            .SelectMany(c => c.Sources.Select(s => Path.GetFullPath(Path.Combine(DockerFiles.Root, s)))).ToHashSet();

        var published = Regex.Matches(string.Join('\n', build.Runs), @"dotnet publish (\S+\.csproj)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, published.Count);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in published)
        {
            Closure(Path.GetFullPath(Path.Combine(DockerFiles.Root, project)), needed);
        }

        string[] root = ["Directory.Build.props", "Directory.Packages.props", "global.json"];
        foreach (var file in needed.Concat(root.Select(f => Path.Combine(DockerFiles.Root, f))))
        {
            Assert.True(beforeRestore.Contains(file), $"{Path.GetRelativePath(DockerFiles.Root, file)} is not copied before `dotnet restore`");
        }
    }

    [Fact]
    public void Runtime_images_run_as_the_non_root_app_user_and_the_servers_have_a_healthcheck()
    {
        foreach (var target in _compose.BuiltServices().Select(s => s.Target).Distinct())
        {
            var stage = _dockerfile.Stage(target);
            Assert.Contains(stage.User, new[] { "$APP_UID", "1654", "app" });
            Assert.StartsWith("mcr.microsoft.com/dotnet/", stage.From, StringComparison.Ordinal);
        }

        foreach (var target in PortSettings.Keys)
        {
            var check = _dockerfile.Stage(target).Healthcheck;
            Assert.NotNull(check);
            Assert.Matches(@"GET /health/(live|ready) ", string.Join(' ', check));
        }
    }

    [Fact]
    public void Every_setting_in_compose_and_the_Dockerfile_names_a_real_option()
    {
        var checkedKeys = 0;
        foreach (var (service, target) in _compose.BuiltServices())
        {
            foreach (var (key, value) in Effective(service, target))
            {
                if (key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || key.StartsWith("DOTNET_", StringComparison.Ordinal) || key == "ConnectionStrings__Dialogue")
                {
                    continue;
                }

                Assert.True(key.StartsWith("Dialogue__", StringComparison.Ordinal), $"{service}: {key} is not a setting of the program");
                var problem = OptionKeys.Problem(key, value);
                Assert.True(problem is null, $"{service}: {key}={value}: {problem}");
                checkedKeys++;
            }
        }

        Assert.True(checkedKeys >= 10, $"only {checkedKeys} settings were checked");
    }

    [Fact]
    public void Ports_agree_between_the_settings_EXPOSE_compose_and_nginx()
    {
        var gatewayPorts = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var (service, target) in _compose.BuiltServices().Where(s => PortSettings.ContainsKey(s.Target)))
        {
            var environment = Effective(service, target);
            // A port setting at 0 opens nothing.
            var configured = PortSettings[target].SelectMany(key => Ports(environment, key, service)).Where(p => p != 0).ToHashSet();
            Assert.Equal(configured.Order(), _dockerfile.Stage(target).Exposed.Order());
            if (_compose.Strings(service, "expose") is { Count: > 0 } exposed)
            {
                Assert.Equal(configured.Order(), exposed.Select(int.Parse).Order());
            }

            Assert.All(_compose.Strings(service, "ports"), p => Assert.Contains(ContainerPort(p), configured));
            if (target == "gateway")
            {
                gatewayPorts[service] = configured;
            }
        }

        // nginx: every upstream lists every gateway service at a port it listens on, and compose publishes nginx's own port.
        var upstreams = Regex.Matches(_nginx, @"upstream\s+(\S+)\s*\{([^}]*)\}");
        Assert.NotEmpty(upstreams);
        foreach (Match upstream in upstreams)
        {
            var servers = DockerFiles.UpstreamServer().Matches(upstream.Groups[2].Value).Select(m => (Host: m.Groups[1].Value, Port: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
            Assert.Equal(gatewayPorts.Keys.Order(), servers.Select(s => s.Host).Order());
            Assert.All(servers, s => Assert.Contains(s.Port, gatewayPorts[s.Host]));
        }

        var proxy = _compose.Services.Keys.Cast<string>().Single(name => _compose.Service(name).GetValueOrDefault("image") is string image && image.StartsWith("nginx:", StringComparison.Ordinal));
        var listen = DockerFiles.Listen().Matches(_nginx).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(listen.Order(), _compose.Strings(proxy, "ports").Select(ContainerPort).Order());

        // The gateways believe X-Forwarded-For from the proxy's fixed address only.
        var address = (string)ComposeFile.Map(ComposeFile.Map(_compose.Service(proxy), "networks")!, "default")!["ipv4_address"]!;
        Assert.All(gatewayPorts.Keys, gateway => Assert.Equal(address, _compose.Environment(gateway)["Dialogue__KnownProxies__0"]));
    }

    [Fact]
    public void Compose_applies_the_schema_once_before_silos_and_gateways_are_clients_of_them()
    {
        var migrate = _compose.BuiltServices().Single(s => s.Target == "cli").Name;
        Assert.Equal(["migrate"], _compose.Strings(migrate, "command"));
        var silos = _compose.BuiltServices().Where(s => s.Target == "silo").Select(s => s.Name).ToList();
        var gateways = _compose.BuiltServices().Where(s => s.Target == "gateway").Select(s => s.Name).ToList();
        Assert.Equal(2, silos.Count);
        Assert.Equal(2, gateways.Count);
        foreach (var silo in silos)
        {
            Assert.Equal("service_completed_successfully", Condition(silo, migrate));
            Assert.Equal(silo, _compose.Environment(silo)["Dialogue__AdvertisedHost"]);
        }

        foreach (var gateway in gateways)
        {
            Assert.Equal("false", _compose.Environment(gateway)["Dialogue__CoHostSilo"]);

            // The monitoring port binds every interface only for a non-loopback advertised host.
            Assert.Equal(gateway, _compose.Environment(gateway)["Dialogue__AdvertisedHost"]);
            Assert.All(silos, silo => Assert.NotNull(Condition(gateway, silo)));
        }

        // One ServiceId and ClusterId for every process, never a secret written into the file.
        foreach (var (service, target) in _compose.BuiltServices())
        {
            var environment = _compose.Environment(service);
            Assert.Equal("opengov-dialogue", environment["Dialogue__ServiceId"]);
            Assert.Equal("postgres", environment["Dialogue__Storage"]);
            foreach (var secret in environment.Where(e => e.Key.EndsWith("Key", StringComparison.Ordinal) || e.Key.StartsWith("ConnectionStrings", StringComparison.Ordinal)))
            {
                Assert.Matches(@"\$\{[A-Z_]+:\?[^}]+\}", secret.Value);
            }
        }
    }

    private string? Condition(string service, string dependency) =>
        ComposeFile.Map(_compose.Service(service), "depends_on") is { } depends && ComposeFile.Map(depends, dependency) is { } entry
            ? (string?)entry["condition"]
            : null;

    /// <summary>The process's environment: the image's ENV, then the service's environment over it.</summary>
    private Dictionary<string, string> Effective(string service, string target)
    {
        var environment = new Dictionary<string, string>(_dockerfile.Stage(target).Environment, StringComparer.Ordinal);
        foreach (var (key, value) in _compose.Environment(service))
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>A port setting's value in the process: from its environment, else the option's default.</summary>
    private static IEnumerable<int> Ports(Dictionary<string, string> environment, string key, string service)
    {
        if (environment.TryGetValue(key, out var value))
        {
            return value.Split(';').Select(p => int.Parse(p, CultureInfo.InvariantCulture));
        }

        var type = new[] { typeof(DialogueOptions), typeof(DialogueHostOptions) }.FirstOrDefault(t => t.GetProperty(key["Dialogue__".Length..]) is not null)
            ?? throw new Xunit.Sdk.XunitException($"{service}: {key} is neither set nor an option with a default");
        return [(int)type.GetProperty(key["Dialogue__".Length..])!.GetValue(Activator.CreateInstance(type))!];
    }

    private static int ContainerPort(string mapping) => int.Parse(mapping.Split(':')[^1].Split('/')[0], CultureInfo.InvariantCulture);

    private static void Closure(string project, HashSet<string> needed)
    {
        if (!needed.Add(project))
        {
            return;
        }

        var xml = XDocument.Load(project);
        var dir = Path.GetDirectoryName(project)!;
        foreach (var reference in xml.Descendants("ProjectReference").Select(e => (string)e.Attribute("Include")!))
        {
            Closure(Path.GetFullPath(Path.Combine(dir, reference.Replace('\\', '/'))), needed);
        }

        foreach (var import in xml.Descendants("Import").Select(e => (string)e.Attribute("Project")!))
        {
            needed.Add(Path.GetFullPath(Path.Combine(dir, import.Replace('\\', '/'))));
        }
    }

    /// <summary>Files of the repository a COPY source names (a path, a folder or a * pattern in the last segment).</summary>
    private static IEnumerable<string> Matching(string source)
    {
        var path = Path.Combine(DockerFiles.Root, source.TrimEnd('/'));
        if (source.Contains('*', StringComparison.Ordinal))
        {
            var dir = Path.GetDirectoryName(path)!;
            return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, Path.GetFileName(path)) : [];
        }

        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/node_modules/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/dist/", StringComparison.Ordinal)).Take(1);
        }

        return File.Exists(path) ? [path] : [];
    }

    /// <summary>The .dockerignore patterns as a test on repository files (**, * and plain paths, no exceptions with !).</summary>
    private static Func<string, bool> DockerIgnore()
    {
        var patterns = File.ReadAllLines(Path.Combine(DockerFiles.Root, ".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(p =>
            {
                Assert.False(p.StartsWith('!'), "exceptions in .dockerignore are not checked here");
                var regex = Regex.Escape(p.TrimEnd('/')).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal);
                return new Regex($"^{regex}(/.*)?$");
            })
            .ToList();
        return file => patterns.Any(p => p.IsMatch(Path.GetRelativePath(DockerFiles.Root, file).Replace('\\', '/')));
    }
}

/// <summary>
/// Configuration keys checked against the options classes by reflection: every class with a <c>Section</c>
/// constant under <c>Dialogue</c>, so a renamed or removed property fails the check.
/// </summary>
public static class OptionKeys
{
    // A section may be bound by more than one class (Dialogue: the rules and the host's settings).
    private static readonly Dictionary<string, Type[]> Sections = typeof(DialogueOptions).Assembly.GetTypes()
        .Concat(typeof(GatewayApp).Assembly.GetTypes())
        .Concat(typeof(DialogueSiloHosting).Assembly.GetTypes())
        .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
        .Where(s => s.Field is { IsLiteral: true } && s.Field.FieldType == typeof(string))
        .GroupBy(s => (string)s.Field!.GetRawConstantValue()!, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Select(s => s.Type).ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="key"/> (environment form, <c>__</c> between levels) binds to a property that takes <paramref name="value"/>; else what is wrong.</summary>
    public static string? Problem(string key, string value)
    {
        var path = key.Split("__");
        var section = Enumerable.Range(1, path.Length - 1).Reverse()
            .Select(n => string.Join(':', path[..n]))
            .FirstOrDefault(Sections.ContainsKey);
        if (section is null)
        {
            return "no options class binds this section";
        }

        var rest = path[(section.Split(':').Length)..];
        var type = Sections[section].FirstOrDefault(t => rest.Length > 0 && t.GetProperty(rest[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null)
            ?? Sections[section][0];
        for (var i = 0; i < rest.Length; i++)
        {
            var property = type.GetProperty(rest[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not { CanWrite: true })
            {
                return $"{type.Name} has no settable property '{rest[i]}'";
            }

            type = property.PropertyType;
            if (type.IsArray || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)))
            {
                // An element: the next level is its index.
                if (i + 1 >= rest.Length || !int.TryParse(rest[i + 1], out _))
                {
                    return $"'{rest[i]}' is a list: name an element (__0, __1, …)";
                }

                type = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
                i++;
            }
        }

        return Converts(type, value) ? null : $"'{value}' is not a {type.Name}";
    }

    private static bool Converts(Type type, string value)
    {
        // An interpolation (${VAR...}) is resolved by compose, not here.
        if (value.Contains("${", StringComparison.Ordinal))
        {
            return true;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(string)
            || (target == typeof(int) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            || (target == typeof(bool) && bool.TryParse(value, out _))
            || (target == typeof(double) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            || (target.IsEnum && Enum.TryParse(target, value, ignoreCase: true, out _));
    }
}
