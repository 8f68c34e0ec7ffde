using MessagePack;
using Microsoft.AspNetCore.SignalR;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// The hub's MessagePack protocol, offered beside JSON for clients that pick it in the handshake: a
/// payload carries what its JSON carries, in the same shape, so a client of either protocol can be
/// written from one description. Records are maps with the JSON's camelCase string keys, leaving out
/// the same empty optional fields and unset flags; enums are their kebab-case names; dates are the
/// ISO 8601 strings of the JSON; a vote update is the compact array <c>[id, seq, up, agree, disagree, pass]</c>.
/// The server, the tests and the load tool use these same settings.
/// </summary>
public static class HubMessagePack
{
    /// <summary>Input is untrusted: MessagePack's limits on depth and hash collisions apply.</summary>
    public static MessagePackSerializerOptions Options { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(JsonShapedResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    public static void Configure(MessagePackHubProtocolOptions protocol) => protocol.SerializerOptions = Options;
}
