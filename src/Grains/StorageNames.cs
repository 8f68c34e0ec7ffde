namespace OpenGov.Dialogue;

/// <summary>Names of the Orleans grain storage providers.</summary>
public static class StorageNames
{
    public const string Grains = "dialogue";
}
