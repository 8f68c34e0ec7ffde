using System.Text.Json;
using System.Text.Json.Serialization;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// Vote counts are most of what a busy hall sends, once per connection per round: written as a bare
/// array <c>[id, seq, up, agree, disagree, pass]</c> (about a third of the object's bytes), so that a
/// round's frame stays small enough for one write per connection.
/// </summary>
public sealed class VoteUpdateJsonConverter : JsonConverter<VoteUpdate>
{
    public override VoteUpdate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A vote update is an array [id, seq, up, agree, disagree, pass].");
        }

        reader.Read();
        var id = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("A vote update starts with the item id.");
        Span<long> numbers = stackalloc long[5];
        for (var i = 0; i < numbers.Length; i++)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException("A vote update has five numbers after the id.");
            }

            numbers[i] = reader.GetInt64();
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("A vote update has six elements.");
        }

        return new VoteUpdate(id, numbers[0], new VoteTally(checked((int)numbers[1]), checked((int)numbers[2]), checked((int)numbers[3]), checked((int)numbers[4])));
    }

    public override void Write(Utf8JsonWriter writer, VoteUpdate value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(value.Id);
        writer.WriteNumberValue(value.Seq);
        writer.WriteNumberValue(value.Votes.Up);
        writer.WriteNumberValue(value.Votes.Agree);
        writer.WriteNumberValue(value.Votes.Disagree);
        writer.WriteNumberValue(value.Votes.Pass);
        writer.WriteEndArray();
    }
}
