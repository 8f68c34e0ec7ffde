using System.Text.Json;

namespace OpenGov.Dialogue.OpenData;

/// <summary>
/// Builds the Frictionless Data Package (profile tabular-data-package) describing the four CSVs.
/// Pol.is's datetime text ("Wed Jun 18 11:53:44 UTC 2014") is not an ISO 8601 datetime, so it is a
/// described string; <c>timestamp</c> carries the instant.
/// </summary>
internal static class DataPackage
{
    private sealed record Field(string Name, string Type, string Description, bool Required);

    private sealed record ForeignKey(string Fields, string Resource, string ReferenceFields);

    private sealed record Resource(string Name, string Path, string Title, bool Header, IReadOnlyList<Field> Fields, string? PrimaryKey, IReadOnlyList<ForeignKey> ForeignKeys);

    private const string FormulaNote = " A text starting with =, +, -, @, tab or CR is prefixed with ' so that spreadsheets do not run it as a formula; strip that quote to get the original.";

    public static void Write(Stream stream, PolisConversation conversation, DataPackageInfo info)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            // A file, never embedded in HTML: keep umlauts and CJK readable instead of \uXXXX escapes.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteString("profile", "tabular-data-package");
        json.WriteString("name", info.Name);
        json.WriteString("title", info.Title);
        json.WriteString("description", info.Description);
        if (info.Homepage is not null)
        {
            json.WriteString("homepage", info.Homepage);
        }

        json.WriteString("created", info.Created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartArray("licenses");
        json.WriteStartObject();
        json.WriteString("name", info.Licence);
        var (path, title) = LicenceDetails(info.Licence);
        if (path is not null)
        {
            json.WriteString("path", path);
        }

        json.WriteString("title", title);
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartArray("resources");
        foreach (var resource in Resources(conversation))
        {
            WriteResource(json, resource);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static (string? Path, string Title) LicenceDetails(string licence) => licence switch
    {
        "CC-BY-4.0" => ("https://creativecommons.org/licenses/by/4.0/", "Creative Commons Attribution 4.0"),
        "CC-BY-SA-4.0" => ("https://creativecommons.org/licenses/by-sa/4.0/", "Creative Commons Attribution Share-Alike 4.0"),
        "CC0-1.0" => ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
        "ODC-BY-1.0" => ("https://opendatacommons.org/licenses/by/1-0/", "Open Data Commons Attribution License 1.0"),
        "ODbL-1.0" => ("https://opendatacommons.org/licenses/odbl/1-0/", "Open Data Commons Open Database License 1.0"),
        _ => (null, licence),
    };

    private static IEnumerable<Resource> Resources(PolisConversation conversation)
    {
        var datetime = "The timestamp as text in UTC, e.g. 'Wed Jun 18 11:53:44 UTC 2014' (Pol.is's rendering, not ISO 8601).";
        yield return new Resource("comments", PolisReader.CommentsFile, "Comments (statements) with their vote counts and moderation state", true,
        [
            new("timestamp", "integer", "When the comment was submitted, Unix epoch milliseconds.", true),
            new("datetime", "string", datetime, true),
            new("comment-id", "integer", "Comment id, 0-based per conversation.", true),
            new("author-id", "integer", "Participant id of the author (same id space as voter-id and participant).", true),
            new("agrees", "integer", "Number of agree vote events on the comment.", true),
            new("disagrees", "integer", "Number of disagree vote events on the comment.", true),
            new("moderated", "integer", "Moderation: 1 accepted, -1 rejected (hidden), 0 never moderated.", true),
            new("comment-body", "string", "The comment text." + FormulaNote, false),
        ], "comment-id", []);

        yield return new Resource("votes", PolisReader.VotesFile, "Vote events, including later changes of mind", true,
        [
            new("timestamp", "integer", "When the vote was cast, Unix epoch milliseconds.", true),
            new("datetime", "string", datetime, true),
            new("comment-id", "integer", "The comment voted on.", true),
            new("voter-id", "integer", "Participant id of the voter.", true),
            new("vote", "integer", "1 agree, -1 disagree, 0 pass.", true),
        ], null, [new ForeignKey("comment-id", "comments", "comment-id")]);

        var participants = new List<Field>
        {
            new("participant", "integer", "Participant id.", true),
        };
        if (conversation.HasXidColumn)
        {
            participants.Add(new("xid", "string", "External id given by the embedding site, if any." + FormulaNote, false));
        }

        participants.AddRange(
        [
            new("group-id", "integer", "Opinion group Pol.is's clustering assigned (0, 1, ...); empty when not placed.", false),
            new("n-comments", "integer", "Comments the participant wrote.", true),
            new("n-votes", "integer", "Votes the participant cast.", true),
            new("n-agree", "integer", "Agree votes the participant cast.", true),
            new("n-disagree", "integer", "Disagree votes the participant cast.", true),
        ]);
        participants.AddRange(conversation.MatrixColumns.Select(c => new Field(
            c.ToString(System.Globalization.CultureInfo.InvariantCulture), "integer",
            $"Latest vote on comment {c}: 1 agree, -1 disagree, 0 pass; empty when never voted.", false)));
        yield return new Resource("participants-votes", PolisReader.ParticipantsFile, "One row per participant: counts, opinion group and latest vote per comment", true,
            participants, "participant", []);

        yield return new Resource("summary", PolisReader.SummaryFile, "Conversation summary as key/value rows (no header)", false,
        [
            new("key", "string", "topic, url, views, voters, voters-in-conv, commenters, comments, groups or conversation-description.", true),
            new("value", "string", "The value; the counts are integers, text values follow the formula rule." + FormulaNote, false),
        ], "key", []);
    }

    private static void WriteResource(Utf8JsonWriter json, Resource resource)
    {
        json.WriteStartObject();
        json.WriteString("name", resource.Name);
        json.WriteString("path", resource.Path);
        json.WriteString("title", resource.Title);
        json.WriteString("profile", "tabular-data-resource");
        json.WriteString("format", "csv");
        json.WriteString("mediatype", "text/csv");
        json.WriteString("encoding", "utf-8");
        json.WriteStartObject("dialect");
        json.WriteString("delimiter", ",");
        json.WriteString("lineTerminator", "\n");
        json.WriteString("quoteChar", "\"");
        json.WriteBoolean("doubleQuote", true);
        json.WriteBoolean("header", resource.Header);
        json.WriteEndObject();

        json.WriteStartObject("schema");
        json.WriteStartArray("fields");
        foreach (var field in resource.Fields)
        {
            json.WriteStartObject();
            json.WriteString("name", field.Name);
            json.WriteString("type", field.Type);
            json.WriteString("description", field.Description);
            if (field.Required)
            {
                json.WriteStartObject("constraints");
                json.WriteBoolean("required", true);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        // Empty cells mean "no value" (a never-voted matrix cell, an unplaced group-id).
        json.WriteStartArray("missingValues");
        json.WriteStringValue("");
        json.WriteEndArray();
        if (resource.PrimaryKey is not null)
        {
            json.WriteString("primaryKey", resource.PrimaryKey);
        }

        if (resource.ForeignKeys.Count > 0)
        {
            json.WriteStartArray("foreignKeys");
            foreach (var key in resource.ForeignKeys)
            {
                json.WriteStartObject();
                json.WriteString("fields", key.Fields);
                json.WriteStartObject("reference");
                json.WriteString("resource", key.Resource);
                json.WriteString("fields", key.ReferenceFields);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
