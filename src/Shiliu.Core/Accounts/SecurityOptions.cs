namespace Shiliu.Core.Accounts;

/// <summary>Session limits (SECURITY.md #6): idle 15 minutes, absolute 8 hours; configurable under "Security".</summary>
public sealed class SecurityOptions
{
    public int IdleMinutes { get; set; } = 15;
    public int AbsoluteHours { get; set; } = 8;
    public int LockoutFailures { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 30;
    public int AuditRetentionDays { get; set; } = 365;

    public TimeSpan Idle => TimeSpan.FromMinutes(IdleMinutes);
    public TimeSpan Absolute => TimeSpan.FromHours(AbsoluteHours);

    public void Validate()
    {
        if (AuditRetentionDays < 180)
            throw new InvalidOperationException($"Security:AuditRetentionDays 配置为 {AuditRetentionDays} 天，审计日志至少须保留 180 天");
        if (IdleMinutes is < 1 or > 30) throw new InvalidOperationException("Security:IdleMinutes 应在 1 到 30 分钟之间");
        if (AbsoluteHours is < 1 or > 12) throw new InvalidOperationException("Security:AbsoluteHours 应在 1 到 12 小时之间");
    }
}

/// <summary>What a signed-in user must do before anything else.</summary>
public enum AccountGate
{
    None,
    ChangePassword,
    EnrollTotp,
}

public static class ShiliuClaims
{
    public const string SessionId = "shiliu:sid";
    public const string OrgId = "shiliu:org";
    public const string OrgPath = "shiliu:org_path";
    public const string DisplayName = "shiliu:display";
    public const string TokenId = "shiliu:token";
}
