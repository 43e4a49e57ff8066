using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Shiliu.Core;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Web.Hosting;

public static class WebSetup
{
    public const string GateItem = "shiliu.gate";
    public const string SignInRateLimit = "sign-in";
    static readonly CultureInfo ZhCn = new("zh-CN");

    public static void AddShiliu(this WebApplicationBuilder builder)
    {
        CultureInfo.DefaultThreadCurrentCulture = ZhCn;
        CultureInfo.DefaultThreadCurrentUICulture = ZhCn;
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        var config = builder.Configuration;

        var security = config.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions();
        security.Validate();
        services.Configure<SecurityOptions>(config.GetSection("Security"));

        var database = DatabaseSettings.From(config, builder.Environment.ContentRootPath);
        var dataDir = DataDirectory(config, builder.Environment.ContentRootPath);
        var keys = Shiliu.Core.Keys.KeyRing.Load(config, dataDir, builder.Environment.IsProduction());
        services.AddShiliuCore(database, keys, config);
        var tokens = config.GetSection("Tokens").Get<Shiliu.Core.Tokens.TokenOptions>() ?? new Shiliu.Core.Tokens.TokenOptions();
        tokens.Validate();
        services.AddSingleton(tokens);
        services.AddEvidenceStorage(config, dataDir);
        services.AddClockIfMissing(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<CallerAccessor>();
        services.AddScoped<ICallerAccessor>(sp => sp.GetRequiredService<CallerAccessor>());

        // The key ring lies in the database, so it is encrypted with a key kept outside it: a certificate when configured,
        // else the ring's own data-protection key (files or configuration, like every other key).
        var protection = services.AddDataProtection().SetApplicationName("Shiliu");
        if (Shiliu.Core.Platform.BuildTime.WritingApiDocument) protection.UseEphemeralDataProtectionProvider();
        else protection.PersistKeysToDbContext<ShiliuDb>();
        if (config["DataProtection:CertificateFile"] is { Length: > 0 } certificate)
            protection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificate, config["DataProtection:CertificatePassword"]));
        else
            services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
                o.XmlEncryptor = new Shiliu.Core.Keys.KeyRingXmlEncryptor(keys));

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = PasswordPolicy.MinLength;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = security.LockoutFailures;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.LockoutMinutes);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
                o.SignIn.RequireConfirmedAccount = false;
                o.Tokens.AuthenticatorTokenProvider = ReplaySafeTotpProvider.Name;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<ShiliuDb>()
            .AddUserManager<ShiliuUserManager>()
            .AddSignInManager<ShiliuSignInManager>()
            .AddClaimsPrincipalFactory<ShiliuClaimsFactory>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<ReplaySafeTotpProvider>(ReplaySafeTotpProvider.Name)
            .AddPasswordValidator<PolicyPasswordValidator>();
        services.AddScoped(sp => (ShiliuSignInManager)sp.GetRequiredService<SignInManager<AppUser>>());

        var production = builder.Environment.IsProduction();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "Smart";
                o.DefaultChallengeScheme = "Smart";
            })
            .AddPolicyScheme("Smart", "cookie or token", o => o.ForwardDefaultSelector = ctx =>
                TokenAuthenticationHandler.Presents(ctx.Request) ? TokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = production ? "__Host-shiliu" : "shiliu.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = security.Idle;
                o.SlidingExpiration = true;
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/denied";
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateSessionAsync,
                    OnRedirectToLogin = ctx => IsApi(ctx.Request)
                        ? Problems.Write(ctx.HttpContext, 401, "未登录", "请先登录，或使用访问令牌调用接口")
                        : Redirect(ctx),
                    OnRedirectToAccessDenied = ctx => IsApi(ctx.Request)
                        ? Problems.Write(ctx.HttpContext, 403, "没有权限", "您的角色无权执行此操作")
                        : Redirect(ctx),
                };
            })
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme, o =>
            {
                o.Cookie.Name = production ? "__Host-shiliu-2fa" : "shiliu.2fa";
                o.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddCookie(IdentityConstants.ExternalScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddShiliuPolicies();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResults>();

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddScoped<CircuitHandler, UserCircuitHandler>();

        services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = builder.Environment.IsDevelopment());
        services.AddAntDesign();
        services.AddAntiforgery(o => o.HeaderName = ApiAntiforgery.Header);
        services.AddLocalization();
        // Emit Chinese as text, not as &#x...; entities: smaller pages, readable source.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? 500;
            ctx.ProblemDetails.Title = Problems.TitleFor(status);
            if (status >= 500) ctx.ProblemDetails.Detail = $"服务器处理请求时出错，请联系管理员并提供编号 {ctx.HttpContext.TraceIdentifier}";
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
        });
        // The contract (security, answers, tags, problem shape) is written once, from the endpoints' metadata: ApiContract.
        services.AddShiliuOpenApi();
        services.AddHealthChecks();
        services.AddScoped<Shiliu.Web.Components.Layout.UnreadBadge>();
        var anchors = config.GetSection("Audit").Get<Shiliu.Core.Auditing.AuditAnchorOptions>() ?? new Shiliu.Core.Auditing.AuditAnchorOptions();
        anchors.AnchorFile ??= Path.Combine(dataDir, "audit-anchors.jsonl");
        services.AddSingleton(anchors);
        services.AddSingleton<Shiliu.Core.Auditing.AuditAnchors>();
        services.AddPublicSurface(config);
        // SECURITY.md #9: browsers keep to HTTPS for a year, subdomains included.
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        // SECURITY.md #9: 308, so clients keep the method and body and remember the move (the default is 307).
        services.AddHttpsRedirection(o => o.RedirectStatusCode = StatusCodes.Status308PermanentRedirect);
        var forms = config.GetSection("PublicForms").Get<PublicFormOptions>() ?? new PublicFormOptions();
        // Per client address (the real one behind trusted proxies): sign-in pages 20 a minute (SECURITY.md #4, #25), on top of
        // account lockout; public pages PublicForms:PagesPerMinute.
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignInRateLimit, ctx => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) }));
            o.AddPublicPagesLimit(forms);
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                var signIn = ctx.HttpContext.Request.Path.StartsWithSegments("/account");
                await Problems.Write(ctx.HttpContext, StatusCodes.Status429TooManyRequests, "请求过于频繁",
                    signIn ? "登录尝试过于频繁，请 1 分钟后再试" : "访问过于频繁，请 1 分钟后再试");
            };
        });
        // Binding failures are thrown (not answered with a bare 400) so UnreadableRequests can name the field in Chinese.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Enums travel as names ("Township", "Approved"), readable in the API and stable if members are reordered.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
    }

    static void AddClockIfMissing(this IServiceCollection services, TimeProvider clock)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(clock);
    }

    static Microsoft.AspNetCore.Authorization.AuthorizationBuilder AddShiliuPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder b)
    {
        foreach (var p in Shiliu.Core.ShiliuModules.Catalog.Permissions) b.AddPolicy(p.Code, policy => policy.RequireRole(p.Roles));
        return b;
    }

    public static string DataDirectory(IConfiguration config, string contentRoot)
    {
        var dir = config["Shiliu:DataDir"] ?? "data";
        return Path.GetFullPath(Path.IsPathRooted(dir) ? dir : Path.Combine(contentRoot, dir));
    }

    public static bool IsApi(HttpRequest r) => r.Path.StartsWithSegments("/api");

    static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Each request with a cookie is checked against its server-side session (logout, disable, idle, absolute).</summary>
    static async Task ValidateSessionAsync(CookieValidatePrincipalContext ctx)
    {
        var sessions = ctx.HttpContext.RequestServices.GetRequiredService<SessionService>();
        var sid = ctx.Principal?.FindFirstValue(ShiliuClaims.SessionId);
        var isAdmin = ctx.Principal?.FindAll(ClaimTypes.Role).Any(r => Roles.Admin.Contains(r.Value)) == true;
        // A page's own timer (the 大屏 refreshing) is not the person at the keyboard: it must not hold the idle logout off.
        var touch = ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<TimerPoll>() is null;
        var check = Guid.TryParse(sid, out var id) ? await sessions.CheckAsync(id, touch, isAdmin) : new SessionCheck(false, "no-session", AccountGate.None);
        if (!check.Valid)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        ctx.HttpContext.Items[GateItem] = check.Gate;
    }

    public static void UseShiliu(this WebApplication app)
    {
        // First: everything after reads the client's real address and scheme (from trusted proxies only).
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            // An API call gets a problem answer whatever its method: re-running the error page would answer HTML, or 405 to a PUT.
            app.UseWhen(ctx => IsApi(ctx.Request), api => api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = ctx => Problems.Write(ctx, StatusCodes.Status500InternalServerError, Problems.TitleFor(500),
                    $"服务器处理请求时出错，请联系管理员并提供编号 {ctx.TraceIdentifier}"),
            }));
            if (app.Environment.IsProduction())
            {
                app.UseHsts();
                app.UseHttpsRedirection();
                if (!app.Services.GetRequiredService<PublicOrigin>().IsConfigured)
                    app.Logger.LogWarning("未设置 {Setting}：问卷二维码、创建动态订阅和大屏链接将使用访问者请求中的地址，请设置为群众和门户网站访问本系统的地址", PublicOrigin.Setting);
            }
        }
        app.UseStatusCodePages(async ctx =>
        {
            if (IsApi(ctx.HttpContext.Request) && !ctx.HttpContext.Response.HasStarted && ctx.HttpContext.Response.ContentLength is null)
                await Problems.Write(ctx.HttpContext, ctx.HttpContext.Response.StatusCode, Problems.TitleFor(ctx.HttpContext.Response.StatusCode),
                    ctx.HttpContext.Response.StatusCode switch
                    {
                        404 => "请求的资源不存在，请对照接口文档检查地址",
                        405 => $"该地址不支持 {ctx.HttpContext.Request.Method} 请求，请对照接口文档检查请求方法",
                        413 => "请求内容过大",
                        415 => "请以 JSON 提交（Content-Type: application/json）；上传文件请用 multipart/form-data",
                        _ => $"请求未能完成（HTTP {ctx.HttpContext.Response.StatusCode}）",
                    });
        });
        app.UseMiddleware<UnreadableRequests>();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(ZhCn),
            SupportedCultures = [ZhCn],
            SupportedUICultures = [ZhCn],
        });
        app.UseMiddleware<SecurityHeaders>();
        // Stylesheets and scripts are public: the sign-in page needs them before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.UseAuthentication();
        // Anyone not signed in who opens the site gets the county's public home page; staff get their workbench there.
        app.Use((ctx, next) =>
        {
            if (ctx.Request.Path == "/" && HttpMethods.IsGet(ctx.Request.Method) && ctx.User.Identity?.IsAuthenticated != true) ctx.Request.Path = "/public";
            return next(ctx);
        });
        app.UseRouting();
        app.UseDeprecationHeaders();
        app.UseRateLimiter();
        app.UseMiddleware<AdminNetworkMiddleware>();
        app.UseMiddleware<TokenScopeMiddleware>();
        app.UseMiddleware<ApiAntiforgery>();
        app.UseMiddleware<AccountGateMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();
    }
}

/// <summary>Marks an endpoint a page calls by itself on a timer: the call checks the session but does not count as activity.</summary>
public sealed class TimerPoll;
