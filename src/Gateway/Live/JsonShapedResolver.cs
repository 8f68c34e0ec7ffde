using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Hosting;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// MessagePack formatters that give each hub payload the shape of its JSON (<see cref="HubMessagePack"/>).
/// Records are maps whose keys, and the fields left out when empty, come from the gateway's own JSON
/// contract (<see cref="GatewayApp.Configure(JsonSerializerOptions)"/>), so a field added to a record
/// reaches both protocols alike and the two cannot drift apart.
/// </summary>
public sealed class JsonShapedResolver : IFormatterResolver
{
    public static readonly JsonShapedResolver Instance = new();

    internal static readonly JsonSerializerOptions Contract = CreateContract();

    private JsonShapedResolver()
    {
    }

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static object? Create(Type type)
    {
        if (type == typeof(VoteUpdate))
        {
            return new VoteUpdateMessagePackFormatter();
        }

        if (type == typeof(DateTimeOffset))
        {
            return new IsoDateTimeOffsetFormatter();
        }

        if (type == typeof(DateOnly))
        {
            return new IsoDateOnlyFormatter();
        }

        if (type.IsEnum)
        {
            return Make(typeof(KebabEnumFormatter<>), type);
        }

        // Nil, or whatever this resolver writes for the value itself (the built-in ones would write dates and enums their own way).
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Make(typeof(NullableFormatter<>), underlying);
        }

        if ((BuiltinResolver.Instance.GetFormatterDynamic(type) ?? DynamicGenericResolver.Instance.GetFormatterDynamic(type)) is { } standard)
        {
            return standard;
        }

        var contract = Contract.GetTypeInfo(type);
        return contract.Kind switch
        {
            JsonTypeInfoKind.Object => Make(typeof(JsonShapedObjectFormatter<>), type),

            // A list whose runtime type is nobody's to name (a collection expression's, a copier's) is written as an array.
            JsonTypeInfoKind.Enumerable when contract.ElementType is { } element && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type) =>
                Make(typeof(SequenceFormatter<,>), type, element),
            _ => null,
        };
    }

    private static object Make(Type formatter, params Type[] arguments) =>
        Activator.CreateInstance(formatter.MakeGenericType(arguments))!;

    private static JsonSerializerOptions CreateContract()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        GatewayApp.Configure(json);
        json.MakeReadOnly(populateMissingResolver: true);
        return json;
    }

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = (IMessagePackFormatter<T>?)Create(typeof(T));
    }
}

/// <summary>A record as a map keyed by its JSON names, leaving out what JSON leaves out; read back through its constructor.</summary>
internal sealed class JsonShapedObjectFormatter<T> : IMessagePackFormatter<T>
{
    private readonly RecordMember[] _members;
    private readonly Dictionary<string, RecordMember> _byName;
    private readonly Func<object>? _create;
    private readonly ConstructorInfo? _constructor;
    private readonly object?[] _defaults;

    public JsonShapedObjectFormatter()
    {
        var contract = JsonShapedResolver.Contract.GetTypeInfo(typeof(T));
        _members = [.. contract.Properties.Select(RecordMember.For)];
        _byName = _members.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);
        _create = contract.CreateObject;
        _constructor = contract.ConstructorAttributeProvider as ConstructorInfo;

        // What a constructor gets for a field the payload left out: its default, as in JSON.
        _defaults = [.. (_create is null ? _constructor?.GetParameters() ?? [] : []).Select(p =>
            p.HasDefaultValue ? p.DefaultValue : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)];
    }

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var values = new object?[_members.Length];
        var written = new bool[_members.Length];
        var count = 0;
        for (var i = 0; i < _members.Length; i++)
        {
            if (_members[i].TryGet(value, out values[i]))
            {
                written[i] = true;
                count++;
            }
        }

        writer.WriteMapHeader(count);
        for (var i = 0; i < _members.Length; i++)
        {
            if (written[i])
            {
                writer.WriteString(_members[i].Key);
                _members[i].Write(ref writer, values[i], options);
            }
        }
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return default!;
        }

        options.Security.DepthStep(ref reader);
        var arguments = (object?[])_defaults.Clone();
        List<(RecordMember Member, object? Value)>? afterConstruction = null;
        for (var count = reader.ReadMapHeader(); count > 0; count--)
        {
            if (reader.ReadString() is not { } name || !_byName.TryGetValue(name, out var member))
            {
                reader.Skip();
                continue;
            }

            var value = member.Read(ref reader, options);
            if (member.Parameter >= 0 && member.Parameter < arguments.Length)
            {
                arguments[member.Parameter] = value;
            }
            else
            {
                (afterConstruction ??= []).Add((member, value));
            }
        }

        reader.Depth--;
        var result = _create?.Invoke() ?? _constructor?.Invoke(arguments)
            ?? throw new MessagePackSerializationException($"{typeof(T).Name} cannot be read: it has no constructor to call.");
        foreach (var (member, value) in afterConstruction ?? [])
        {
            member.Set(result, value);
        }

        return (T)result;
    }
}

/// <summary>One property of a record, written and read with the formatter of its declared type.</summary>
internal abstract class RecordMember(JsonPropertyInfo property)
{
    public string Name => property.Name;

    /// <summary>The key as UTF-8, encoded once.</summary>
    public byte[] Key { get; } = Encoding.UTF8.GetBytes(property.Name);

    /// <summary>The constructor parameter the value goes to, or -1 for a property set after construction.</summary>
    public int Parameter { get; } = property.AssociatedParameter?.Position ?? -1;

    public static RecordMember For(JsonPropertyInfo property) =>
        (RecordMember)Activator.CreateInstance(typeof(RecordMember<>).MakeGenericType(property.PropertyType), property)!;

    /// <summary>The value, unless the JSON contract leaves it out (unset flags, empty optional fields).</summary>
    public bool TryGet(object owner, out object? value)
    {
        value = property.Get?.Invoke(owner);
        return property.Get is not null && (property.ShouldSerialize?.Invoke(owner, value) ?? true);
    }

    public void Set(object owner, object? value) => property.Set?.Invoke(owner, value);

    public abstract void Write(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options);

    public abstract object? Read(ref MessagePackReader reader, MessagePackSerializerOptions options);
}

internal sealed class RecordMember<TValue>(JsonPropertyInfo property) : RecordMember(property)
{
    public override void Write(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options) =>
        options.Resolver.GetFormatterWithVerify<TValue>().Serialize(ref writer, (TValue)value!, options);

    public override object? Read(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        options.Resolver.GetFormatterWithVerify<TValue>().Deserialize(ref reader, options);
}

/// <summary>Any other sequence as an array; read back as a list.</summary>
internal sealed class SequenceFormatter<TSequence, TElement> : IMessagePackFormatter<TSequence>
    where TSequence : IEnumerable<TElement>
{
    public void Serialize(ref MessagePackWriter writer, TSequence value, MessagePackSerializerOptions options) =>
        options.Resolver.GetFormatterWithVerify<TElement[]?>().Serialize(ref writer, value?.ToArray(), options);

    public TSequence Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        options.Resolver.GetFormatterWithVerify<TElement[]?>().Deserialize(ref reader, options) is TSequence read
            ? read
            : throw new MessagePackSerializationException($"{typeof(TSequence).Name} is written as an array but cannot be read back as one.");
}

/// <summary>Enum values by name in kebab case, as the JSON converter writes them ("under-review").</summary>
internal sealed class KebabEnumFormatter<TEnum> : IMessagePackFormatter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> Names =
        Enum.GetValues<TEnum>().Distinct().ToDictionary(v => v, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

    private static readonly Dictionary<string, TEnum> Values =
        Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    public void Serialize(ref MessagePackWriter writer, TEnum value, MessagePackSerializerOptions options)
    {
        if (Names.TryGetValue(value, out var name))
        {
            writer.Write(name);
        }
        else
        {
            // A value without a name, as JSON writes it: the number.
            writer.Write(Convert.ToInt64(value, CultureInfo.InvariantCulture));
        }
    }

    public TEnum Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
        {
            return (TEnum)Enum.ToObject(typeof(TEnum), reader.ReadInt64());
        }

        var name = reader.ReadString()!;
        return Values.TryGetValue(name, out var value)
            ? value
            : throw new MessagePackSerializationException($"'{name}' is not a {typeof(TEnum).Name}.");
    }
}

/// <summary>ISO 8601 with its offset, the text JSON carries (fraction without trailing zeros).</summary>
internal sealed class IsoDateTimeOffsetFormatter : IMessagePackFormatter<DateTimeOffset>
{
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz";

    public void Serialize(ref MessagePackWriter writer, DateTimeOffset value, MessagePackSerializerOptions options) =>
        writer.Write(value.ToString(Format, CultureInfo.InvariantCulture));

    public DateTimeOffset Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        DateTimeOffset.Parse(reader.ReadString() ?? throw new MessagePackSerializationException("A date is a string."), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

/// <summary>A calendar date as yyyy-MM-dd, as in JSON.</summary>
internal sealed class IsoDateOnlyFormatter : IMessagePackFormatter<DateOnly>
{
    private const string Format = "yyyy'-'MM'-'dd";

    public void Serialize(ref MessagePackWriter writer, DateOnly value, MessagePackSerializerOptions options) =>
        writer.Write(value.ToString(Format, CultureInfo.InvariantCulture));

    public DateOnly Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        DateOnly.ParseExact(reader.ReadString() ?? throw new MessagePackSerializationException("A date is a string."), Format, CultureInfo.InvariantCulture);
}
