using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace OpenGov.Dialogue.Silo;

/// <summary>
/// Grain state as plain JSON of the state's properties: no .NET type names in stored rows, so
/// renaming or moving a class never makes old rows unreadable.
/// </summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)
        ?? throw new InvalidDataException($"Stored state for {typeof(T).Name} is null.");
}
