namespace Shiliu.Core.Tokens;

/// <summary>
/// What a personal access token may reach: read-only or read-write, in all modules or some. A module is the first path
/// segment under /api/v1 (visits belong to residents); a token never reaches pages or the token endpoints themselves.
/// </summary>
public static class TokenScopes
{
    public const string All = "*";

    /// <summary>API modules a token can be limited to, with their Chinese names for the tokens page.</summary>
    public static readonly IReadOnlyDictionary<string, string> Modules = new Dictionary<string, string>
    {
        ["org-units"] = "组织机构", ["users"] = "用户", ["campaigns"] = "创建活动", ["deliverables"] = "十个一", ["work-reports"] = "工作信息",
        ["indicator-frameworks"] = "测评指标", ["evidence"] = "痕迹台账", ["activities"] = "活动", ["festivals"] = "节庆",
        ["residents"] = "少数民族信息档案（含走访）", ["grids"] = "网格", ["statistics"] = "人口统计", ["audit"] = "审计日志",
    };

    // Read by every token whatever its modules: who am I, the dictionaries, the API description.
    static readonly HashSet<string> Open = ["me", "dictionaries", "openapi.json"];

    public static string ModuleOf(string segment) => segment == "visits" ? "residents" : segment;

    /// <summary>Null when allowed, else why not (Chinese).</summary>
    public static string? Check(string path, string method, bool canWrite, string modules)
    {
        const string api = "/api/v1/";
        var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        // Health probes and the API reference carry no data.
        if (path is "/healthz" or "/readyz" || path.StartsWith("/api/docs", StringComparison.OrdinalIgnoreCase)) return read ? null : "访问令牌不能修改此项";
        if (!path.StartsWith(api, StringComparison.OrdinalIgnoreCase)) return "访问令牌只能调用 /api/v1 接口";
        var segment = path[api.Length..].Split('/')[0].ToLowerInvariant();
        if (Open.Contains(segment)) return read ? null : "访问令牌不能修改此项";
        if (segment == "tokens") return "访问令牌不能管理访问令牌，请登录后在“访问令牌”页面操作";
        var module = ModuleOf(segment);
        if (modules != All && !modules.Split(',').Contains(module))
            return $"此访问令牌无权访问“{Modules.GetValueOrDefault(module, module)}”";
        return read || canWrite ? null : "此访问令牌为只读令牌，不能新增、修改或删除";
    }

    static class HttpMethods
    {
        public static bool IsGet(string m) => string.Equals(m, "GET", StringComparison.OrdinalIgnoreCase);
        public static bool IsHead(string m) => string.Equals(m, "HEAD", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Token limits ("Tokens" in configuration): the county may shorten the longest life (default 90 days).</summary>
public sealed class TokenOptions
{
    public int MaxDays { get; set; } = 90;

    public void Validate()
    {
        if (MaxDays is < 1 or > 365) throw new InvalidOperationException($"Tokens:MaxDays 配置为 {MaxDays}，应在 1 到 365 天之间（建议不超过 90 天）");
    }
}
