using Microsoft.AspNetCore.Antiforgery;
using Shiliu.Core.Accounts;

namespace Shiliu.Web.Hosting;

/// <summary>
/// A write to the API made with the sign-in cookie must carry the antiforgery token in a header (SECURITY.md #24): a
/// page on another site can make the browser send the cookie, never the header. Calls with a personal access token are
/// not cookie-borne and need none. Only the header is read, so a multipart upload is never buffered to look for a field.
/// </summary>
public sealed class ApiAntiforgery(RequestDelegate next, IAntiforgery antiforgery)
{
    public const string Header = "X-CSRF-TOKEN";

    public async Task Invoke(HttpContext ctx)
    {
        var r = ctx.Request;
        if (WebSetup.IsApi(r) && !(HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method) || HttpMethods.IsOptions(r.Method))
            && ctx.User.Identity?.IsAuthenticated == true && !ctx.User.HasClaim(c => c.Type == ShiliuClaims.TokenId)
            && (!r.Headers.ContainsKey(Header) || !await antiforgery.IsRequestValidAsync(ctx)))
        {
            await Problems.Write(ctx, StatusCodes.Status400BadRequest, "缺少防伪令牌",
                $"以登录凭据调用接口的写操作须在请求头 {Header} 中带上防伪令牌（GET /api/v1/antiforgery 取得）；使用访问令牌调用则不需要", "csrf");
            return;
        }
        await next(ctx);
    }
}
