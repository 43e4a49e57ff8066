using Shiliu.Core.Data;

namespace Shiliu.Core.Dictionaries;

/// <summary>An entry of a code list (ethnicity, activity type, …); codes are stable, names may be edited.</summary>
public sealed class DictionaryItem : IVersioned
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public string Kind { get; set; } = "";
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Extra { get; set; }
    public int SortOrder { get; set; }
    public bool Enabled { get; set; } = true;
    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class DictionaryKinds
{
    public const string Ethnicity = "ethnicity";
    public const string ActivityType = "activity-type";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Ethnicity] = "民族(GB/T 3304)",
        [ActivityType] = "活动类型",
    };
}
