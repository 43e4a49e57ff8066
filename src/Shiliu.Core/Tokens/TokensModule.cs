using Shiliu.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Platform;

namespace Shiliu.Core.Tokens;

public static class TokenErrors
{
    public static readonly ErrorCode TooMany = ErrorCode.Invalid("token.too_many");
    public static readonly ErrorCode Anonymous = ErrorCode.Denied("token.anonymous");
    public static readonly ErrorCode Days = ErrorCode.Invalid("token.days");
    public static readonly ErrorCode Scope = ErrorCode.Invalid("token.scope");
    public static readonly ErrorCode AdminDenied = ErrorCode.Denied("token.admin_denied");
    public static readonly ErrorCode Password = ErrorCode.Invalid("token.password");
}

/// <summary>访问令牌: personal access tokens for system integration.</summary>
public sealed class TokensModule : FeatureModule
{
    public override string Name => "访问令牌";

    public override void Declare(ModuleBuilder m) => m
        .MenuItem(MenuSection.System, "访问令牌", "/tokens", "key", 50, PlatformPermissions.Staff)
        .Link("访问令牌", "/tokens", "为系统对接创建个人访问令牌", 90, PlatformPermissions.Staff)
        .Audit<PersonalAccessToken>("访问令牌", t => $"访问令牌 {t.Name}（{t.Prefix}…）", new Dictionary<string, string> { ["RevokedUtc"] = "吊销" })
        .ErrorCodes(typeof(TokenErrors));

    public override void AddServices(IServiceCollection services, IConfiguration config) => services.AddScoped<TokenService>();
}
