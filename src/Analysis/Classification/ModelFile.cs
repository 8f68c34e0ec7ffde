using System.Text;
using System.Text.Json;
using Microsoft.ML;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>
/// One file per model: a magic word, a format version, JSON settings (labels, thresholds) and the
/// ML.NET model zip. The JSON never names .NET types, so renaming a class does not break saved models.
/// </summary>
internal static class ModelFile
{
    private const int Magic = 0x4F474441; // "OGDA"

    public static void Write<TSettings>(Stream stream, string kind, TSettings settings, MLContext ml, ITransformer model, DataViewSchema inputSchema)
    {
        using var modelBytes = new MemoryStream();
        ml.Model.Save(model, inputSchema, modelBytes);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(kind);
        writer.Write(JsonSerializer.Serialize(settings));
        writer.Write(modelBytes.Length);
        writer.Write(modelBytes.GetBuffer(), 0, (int)modelBytes.Length);
    }

    public static (TSettings Settings, ITransformer Model) Read<TSettings>(Stream stream, string kind, MLContext ml) =>
        ReadAfterKind<TSettings>(stream, ReadKind(stream, kind), ml);

    /// <summary>A model of the team's own (no ML.NET zip): the header and settings, then whatever the caller writes.</summary>
    public static BinaryWriter WriteHeader<TSettings>(Stream stream, string kind, TSettings settings)
    {
        var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(kind);
        writer.Write(JsonSerializer.Serialize(settings));
        return writer;
    }

    /// <summary>Reads the magic word and the kind, which must be one of <paramref name="kinds"/>.</summary>
    public static string ReadKind(Stream stream, params string[] kinds)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadInt32() != Magic)
        {
            throw new InvalidDataException("not a saved OpenGov.Dialogue model");
        }

        var savedKind = reader.ReadString();
        if (!kinds.Contains(savedKind))
        {
            throw new InvalidDataException($"the stream holds a '{savedKind}' model, not a '{kinds[0]}' model");
        }

        return savedKind;
    }

    public static TSettings ReadSettings<TSettings>(Stream stream, string kind)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        return JsonSerializer.Deserialize<TSettings>(reader.ReadString())
            ?? throw new InvalidDataException($"the '{kind}' model has no settings");
    }

    public static (TSettings Settings, ITransformer Model) ReadAfterKind<TSettings>(Stream stream, string kind, MLContext ml)
    {
        var settings = ReadSettings<TSettings>(stream, kind);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var length = reader.ReadInt64();
        using var modelBytes = new MemoryStream(reader.ReadBytes(checked((int)length)));
        var model = ml.Model.Load(modelBytes, out _);
        return (settings, model);
    }
}
