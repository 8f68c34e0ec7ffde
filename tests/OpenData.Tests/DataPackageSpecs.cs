using System.Text.Json;

namespace OpenGov.Dialogue.OpenData.Tests;

[Trait("Category", "unit")]
public sealed class DataPackageSpecs
{
    private static Dictionary<string, string> Export(string folder) =>
        PolisData.Unzip(PolisData.WriteZip(PolisReader.ReadDirectory(PolisData.Folder(folder)), folder.ToLowerInvariant()));

    [Theory]
    [MemberData(nameof(PolisData.Folders), MemberType = typeof(PolisData))]
    public void The_datapackage_of_every_shared_folder_validates_against_its_own_csvs(string folder)
    {
        var files = Export(folder);

        Assert.Empty(FrictionlessValidator.Validate(files["datapackage.json"], files));
    }

    [Fact]
    public void The_datapackage_describes_a_tabular_package_with_licence_keys_and_types()
    {
        var files = Export("15-per-hour-seattle");
        using var json = JsonDocument.Parse(files["datapackage.json"]);
        var root = json.RootElement;

        Assert.Equal("tabular-data-package", root.GetProperty("profile").GetString());
        Assert.Equal("15-per-hour-seattle", root.GetProperty("name").GetString());
        Assert.Equal("2026-12-05T12:00:00Z", root.GetProperty("created").GetString());
        var licence = root.GetProperty("licenses")[0];
        Assert.Equal("CC-BY-4.0", licence.GetProperty("name").GetString());
        Assert.Equal("https://creativecommons.org/licenses/by/4.0/", licence.GetProperty("path").GetString());

        var resources = root.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["comments", "votes", "participants-votes", "summary"], resources.Keys);
        foreach (var resource in resources.Values)
        {
            Assert.Equal("tabular-data-resource", resource.GetProperty("profile").GetString());
            Assert.Equal("text/csv", resource.GetProperty("mediatype").GetString());
            Assert.Equal("utf-8", resource.GetProperty("encoding").GetString());
        }

        Assert.False(resources["summary"].GetProperty("dialect").GetProperty("header").GetBoolean());
        Assert.Equal("comment-id", resources["comments"].GetProperty("schema").GetProperty("primaryKey").GetString());
        Assert.Equal("participant", resources["participants-votes"].GetProperty("schema").GetProperty("primaryKey").GetString());
        var foreignKey = resources["votes"].GetProperty("schema").GetProperty("foreignKeys")[0];
        Assert.Equal("comments", foreignKey.GetProperty("reference").GetProperty("resource").GetString());

        var commentFields = resources["comments"].GetProperty("schema").GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("string", commentFields["datetime"].GetProperty("type").GetString());
        Assert.Equal("integer", commentFields["moderated"].GetProperty("type").GetString());
        var matrixCell = resources["participants-votes"].GetProperty("schema").GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "53");
        Assert.Equal("integer", matrixCell.GetProperty("type").GetString());
        Assert.False(matrixCell.TryGetProperty("constraints", out _));
    }

    [Fact]
    public void Non_ascii_metadata_stays_readable_in_the_json()
    {
        var conversation = PolisReader.ReadDirectory(PolisData.Folder("vtaiwan.uberx"));
        using var output = new MemoryStream();
        PolisWriter.WriteZip(conversation, output, PolisData.Info() with { Title = conversation.Summary.Topic, Description = "Bürger:innen" });

        var json = PolisData.Unzip(output.ToArray())["datapackage.json"];

        Assert.Contains("\"title\": \"UberX 自用車載客 — vTaiwan.tw\"", json, StringComparison.Ordinal);
        Assert.Contains("Bürger:innen", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validator_fails_a_non_integer_in_an_integer_column_and_a_duplicate_primary_key()
    {
        var files = PolisData.Unzip(PolisData.WriteZip(PolisData.Read(PolisData.SmallConversation())));
        var lines = files["comments.csv"].Split('\n');
        // Row 2 gets a text author-id; row 3 reuses comment-id 0.
        lines[1] = lines[1].Replace(",0,0,1,0,1,", ",0,zero,1,0,1,", StringComparison.Ordinal);
        lines[2] = lines[2].Replace(",1,1,0,1,-1,", ",0,1,0,1,-1,", StringComparison.Ordinal);
        files["comments.csv"] = string.Join('\n', lines);

        var errors = FrictionlessValidator.Validate(files["datapackage.json"], files);

        Assert.Contains(errors, e => e.Contains("field author-id: 'zero' is not a valid integer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("duplicate primary key '0'", StringComparison.Ordinal));
        // Votes on comment 1 now point at a comment that no longer exists.
        Assert.Contains(errors, e => e.StartsWith("votes row 3: foreign key '1' not found in comments", StringComparison.Ordinal));
    }

    [Fact]
    public void The_validator_fails_a_changed_header_an_empty_required_cell_and_a_bad_package_name()
    {
        var files = PolisData.Unzip(PolisData.WriteZip(PolisData.Read(PolisData.SmallConversation())));
        files["votes.csv"] = files["votes.csv"].Replace("voter-id", "voter", StringComparison.Ordinal).Replace(",0,0,1\n", ",0,,1\n", StringComparison.Ordinal);
        files["datapackage.json"] = files["datapackage.json"].Replace("\"name\": \"polis-test\"", "\"name\": \"Polis Test\"", StringComparison.Ordinal);

        var errors = FrictionlessValidator.Validate(files["datapackage.json"], files);

        Assert.Contains(errors, e => e.StartsWith("votes: CSV header", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "votes row 2 field voter-id: required but empty");
        Assert.Contains(errors, e => e.StartsWith("package: name", StringComparison.Ordinal));
    }
}
