using Shiliu.Core.Platform;
using Shiliu.Core.Common;
using Shiliu.Core.Tokens;

namespace Shiliu.Web.Features.Tokens;

public sealed record CreatedToken(Guid Id, string Token);

public static class TokenApi
{
    public static void MapTokenApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/tokens").WithTags("访问令牌").RequireAuthorization(PlatformPermissions.Staff);

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
