using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Accounts;

public enum SignInStep
{
    Failed,
    NeedsTotp,
    SignedIn,
}

/// <summary>Sign-in, second factor, password change and TOTP enrolment, each audited.</summary>
public sealed class AccountService(
    ShiliuSignInManager signIn, UserManager<AppUser> users, ShiliuDb db, SessionService sessions, TimeProvider clock, TotpSecrets secrets)
{
    /// <summary>One message for every failure, so the page never tells whether an account exists (SECURITY.md #5).</summary>
    public const string FailureMessage = "用户名或密码错误，或账户已被锁定、停用";

    // Verified against unknown user names so that they take as long as wrong passwords.
    static readonly string DummyHash = new PasswordHasher<AppUser>().HashPassword(new AppUser(), Guid.NewGuid().ToString());

    public async Task<SignInStep> PasswordSignInAsync(string userName, string password)
    {
        userName = userName.Trim();
        var user = userName.Length is > 0 and <= 64 ? await users.FindByNameAsync(userName) : null;
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash, password);
            await AuditAsync(AuditEvents.SignInFailed, null, Sanitize(userName), "用户不存在");
            return SignInStep.Failed;
        }
        var wasLocked = await users.IsLockedOutAsync(user);
        if (wasLocked || user.IsDisabled) users.PasswordHasher.VerifyHashedPassword(user, DummyHash, password);
        var result = await SignInUnlessOutsideAdminNetworksAsync(user, () => signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true));
        if (result.Succeeded)
        {
            await MarkSignedInAsync(user);
            return SignInStep.SignedIn;
        }
        if (result.RequiresTwoFactor) return SignInStep.NeedsTotp;
        var reason = result.IsLockedOut ? (wasLocked ? "账户已锁定" : "连续失败，账户被锁定") : user.IsDisabled ? "账户已停用" : "密码错误";
        await AuditAsync(result.IsLockedOut && !wasLocked ? AuditEvents.LockedOut : AuditEvents.SignInFailed, user, user.UserName!, reason);
        return SignInStep.Failed;
    }

    /// <summary>Second step: the user from the two-factor cookie and a code from the authenticator app.</summary>
    public async Task<bool> TotpSignInAsync(string code)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return false;
        var result = await SignInUnlessOutsideAdminNetworksAsync(user, () => signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false));
        if (result.Succeeded)
        {
            await MarkSignedInAsync(user);
            return true;
        }
        await AuditAsync(result.IsLockedOut ? AuditEvents.LockedOut : AuditEvents.TotpFailed, user, user.UserName!, "动态口令错误或已使用");
        return false;
    }

    public async Task SignOutAsync(AppUser? user, Guid? sessionId)
    {
        if (sessionId is { } sid) await sessions.EndAsync(sid, "signout");
        await signIn.SignOutAsync();
        if (user is not null) await AuditAsync(AuditEvents.SignOut, user, user.UserName!, null);
    }

    /// <summary>
    /// Changes the password under the policy; returns the errors in Chinese (empty on success). Every other session of the
    /// user ends and its tokens are revoked: whoever knew the old password is out.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChangePasswordAsync(AppUser user, string current, string next, Guid? keepSession = null)
    {
        var oldHash = user.PasswordHash;
        var result = await users.ChangePasswordAsync(user, current, next);
        if (!result.Succeeded)
            return result.Errors.Select(e => e.Code == "PasswordMismatch" ? "当前密码不正确" : e.Description).ToList();
        db.PasswordHistories.Add(new PasswordHistory { UserId = user.Id, Hash = oldHash!, CreatedUtc = db.UtcNow });
        user.MustChangePassword = false;
        user.PasswordChangedUtc = db.UtcNow;
        db.Audit(AuditEvents.PasswordChanged, $"用户 {user.UserName} 修改了密码", nameof(AppUser), user.Id.ToString(), user.OrgPath);
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded) return saved.Errors.Select(e => e.Description).ToList();
        await Tokens.TokenService.RevokeAllAsync(db, user.Id, default);
        await sessions.EndAllAsync(user.Id, "password_changed", keepSession);
        return [];
    }

    /// <summary>Confirms a new authenticator: the first code must match the proposed secret.</summary>
    public async Task<bool> EnableTotpAsync(AppUser user, string secret, string code)
    {
        var step = Totp.Match(secret, code, clock.GetUtcNow());
        if (step is null) return false;
        user.TotpSecret = secrets.Seal(secret);
        user.TotpLastStep = step.Value;
        user.TwoFactorEnabled = true;
        db.Audit(AuditEvents.TotpEnabled, $"用户 {user.UserName} 绑定了动态口令", nameof(AppUser), user.Id.ToString(), user.OrgPath);
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded) throw new RuleViolation(AccountErrors.Totp, "动态口令未能保存：" + string.Join("；", saved.Errors.Select(e => e.Description)));
        return true;
    }

    async Task MarkSignedInAsync(AppUser user)
    {
        user.LastSignInUtc = db.UtcNow;
        db.Audit(AuditEvents.SignIn, $"用户 {user.UserName} 登录", nameof(AppUser), user.Id.ToString(), user.OrgPath,
            userName: user.UserName, userId: user.Id.ToString());
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded) throw new RuleViolation(AccountErrors.SignIn, "登录未能完成，请重试：" + string.Join("；", saved.Errors.Select(e => e.Description)));
    }

    /// <summary>An admin outside Network:AdminNetworks is refused by the sign-in manager: audited, and told why (it knew every factor).</summary>
    async Task<SignInResult> SignInUnlessOutsideAdminNetworksAsync(AppUser user, Func<Task<SignInResult>> signInAsync)
    {
        try
        {
            return await signInAsync();
        }
        catch (RuleViolation v) when (v.Code == AccountErrors.AdminNetwork.Code)
        {
            await signIn.SignOutAsync();
            await AuditAsync(AuditEvents.SignInFailed, user, user.UserName!, "管理员账号从管理网段以外的地址登录，已拒绝");
            throw;
        }
    }

    async Task AuditAsync(string ev, AppUser? user, string userName, string? reason)
    {
        // The caller of a failed sign-in is anonymous: name the account the attempt was for.
        db.Audit(ev, reason is null ? $"用户 {userName}" : $"用户 {userName}：{reason}", nameof(AppUser), user?.Id.ToString(),
            user?.OrgPath, success: ev == AuditEvents.SignOut, userName: userName, userId: user?.Id.ToString());
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// User names typed at the sign-in page go into the audit log: one line, no bidi override to make one name read as
    /// another (SECURITY.md #19), bounded length.
    /// </summary>
    static string Sanitize(string s) => new string(s.Where(c => !char.IsControl(c) && !Validation.IsBidiControl(c)).Take(64).ToArray());
}
