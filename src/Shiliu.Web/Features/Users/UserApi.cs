using Shiliu.Web.Hosting;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;

namespace Shiliu.Web.Features.Users;

public sealed record SetUserRole(string Role);
public sealed record SetUserDisabled(bool Disabled);
public sealed record InitialPasswordResponse(Guid Id, string InitialPassword);
public sealed record PasswordToIssue(Guid Id, string Next);

public static class UserApi
{
    /// <summary>This module's tag in the API document.</summary>
    public static readonly ApiTag Tag = new("用户", "管辖范围内的用户账户、角色、停用和密码重置（三权分立：系统管理员、安全管理员、审计管理员各司其职）");

    public static void MapUserApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/users").WithTag(Tag);

        g.MapGet("/", async (string? q, int? page, int? pageSize, UserService users, CancellationToken ct) => TypedResults.Ok(await users.ListAsync(q, page, pageSize, ct)))
            .WithName("Users_List").WithSummary("管辖范围内的用户").RequireAuthorization(AccountPermissions.UserView);

        g.MapPost("/", async (CreateUser req, UserService users, CancellationToken ct) =>
            {
                var id = await users.CreateAsync(req, ct);
                return TypedResults.Created($"/api/v1/users/{id}", new PasswordToIssue(id, "账号已创建，初始密码由安全管理员发放"));
            })
            .WithName("Users_Create").ProducesProblem(StatusCodes.Status409Conflict).WithSummary("新建用户（初始密码不返回给系统管理员，由安全管理员发放）").RequireAuthorization(AccountPermissions.UserManage);

        g.MapPut("/{id:guid}/role", async (Guid id, SetUserRole req, UserService users, CancellationToken ct) =>
            {
                await users.SetRoleAsync(id, req.Role, ct);
                return TypedResults.NoContent();
            })
            .WithName("Users_SetRole").WithSummary("设置角色（安全管理员；不能给自己授权）").RequireAuthorization(AccountPermissions.RoleGrant);

        g.MapPost("/{id:guid}/disabled", async (Guid id, SetUserDisabled req, UserService users, CancellationToken ct) =>
            {
                await users.SetDisabledAsync(id, req.Disabled, ct);
                return TypedResults.NoContent();
            })
            .WithName("Users_SetDisabled").WithSummary("停用或启用用户").RequireAuthorization(AccountPermissions.UserManage);

        g.MapPost("/{id:guid}/unlock", async (Guid id, UserService users, CancellationToken ct) =>
            {
                await users.UnlockAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithName("Users_Unlock").WithSummary("解除锁定").RequireAuthorization(AccountPermissions.RoleGrant);

        g.MapPost("/{id:guid}/reset-password", async (Guid id, UserService users, CancellationToken ct) =>
            {
                await users.ResetPasswordAsync(id, ct);
                return TypedResults.Ok(new PasswordToIssue(id, "密码已重置，原密码、会话和令牌失效；临时密码由安全管理员发放"));
            })
            .WithName("Users_ResetPassword").WithSummary("重置密码（系统管理员；不返回密码，由安全管理员发放，三权分立）").RequireAuthorization(AccountPermissions.UserManage);

        g.MapPost("/{id:guid}/issue-password", async (Guid id, UserService users, CancellationToken ct) =>
                TypedResults.Ok(new InitialPasswordResponse(id, await users.IssuePasswordAsync(id, ct))))
            .WithName("Users_IssuePassword").WithSummary("发放临时密码（安全管理员；仅限系统管理员新建或重置后待发放的账号，返回一次）").RequireAuthorization(AccountPermissions.RoleGrant);
    }
}
