using Shiliu.Web.Hosting;
using Shiliu.Core.Platform;
using Shiliu.Core.Common;
using Shiliu.Core.Tokens;

namespace Shiliu.Web.Features.Tokens;

public sealed record CreatedToken(Guid Id, string Token);

public static class TokenApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("访问令牌", "系统对接用的个人访问令牌：创建（原文只显示一次）、查看和吊销；只能以登录后的 Cookie 调用");

    public static void MapTokenApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/tokens").WithTag(Tag).RequireAuthorization(PlatformPermissions.Staff);

        g.MapGet("/", async (TokenService tokens, CancellationToken ct) => TypedResults.Ok(await tokens.ListMineAsync(ct)))
            .WithName("Tokens_List").WithSummary("我的访问令牌");

        g.MapPost("/", async (CreateToken req, TokenService tokens, CancellationToken ct) =>
            {
                var (id, text) = await tokens.CreateAsync(req, ct);
                return TypedResults.Created($"/api/v1/tokens/{id}", new CreatedToken(id, text));
            })
            .WithName("Tokens_Create").WithSummary("创建访问令牌（令牌原文只返回这一次）");

        g.MapDelete("/{id:guid}", async (Guid id, TokenService tokens, CancellationToken ct) =>
            {
                await tokens.RevokeAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithName("Tokens_Revoke").WithSummary("吊销访问令牌");
    }
}
