using Shiliu.Core.Accounts;

namespace Shiliu.Tests.Accounts;

public sealed class PasswordAndTotpTests
{
    [Theory]
    [InlineData("Short#1a", false)]                 // 8 < 10 characters
    [InlineData("alllowercaseletters", false)]      // one class
    [InlineData("lowercase123456", false)]          // two classes
    [InlineData("Password@123", false)]             // common
    [InlineData("Qwer@1234", false)]                // common and short
    [InlineData("Communist#2026", false)]           // contains "com" of the user name "community"
    [InlineData("Pomegranate#2026", true)]
    [InlineData("我的密码很长Ab#2026", true)]        // CJK counts as a symbol class
    public void Policy_accepts_only_strong_passwords(string password, bool ok)
    {
        var errors = PasswordPolicy.Check(password, "community");
        Assert.Equal(ok, errors.Count == 0);
    }

    [Fact]
    public void Policy_allows_64_characters_and_refuses_65()
    {
        var p64 = "Aa1#" + new string('x', 60);
        Assert.Empty(PasswordPolicy.Check(p64, "zz"));
        Assert.Contains(PasswordPolicy.Check(p64 + "y", "zz"), e => e.Contains("64"));
    }

    [Fact]
    public void Totp_matches_the_rfc_6238_test_vector()
    {
        // RFC 6238 appendix B, SHA-1 seed "12345678901234567890": 8-digit 94287082 at T=59, i.e. 6-digit 287082.
        var secret = Base32.Encode("12345678901234567890"u8);
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", secret);
        Assert.Equal("287082", Totp.Code(secret, 59 / 30));
        Assert.Equal("081804", Totp.Code(secret, 1111111109 / 30));
    }

    [Fact]
    public void Totp_accepts_one_step_of_drift_and_no_more()
    {
        var secret = Totp.NewSecret();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = Totp.StepAt(now);
        Assert.Equal(step - 1, Totp.Match(secret, Totp.Code(secret, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(secret, Totp.Code(secret, step + 1), now));
        Assert.Null(Totp.Match(secret, Totp.Code(secret, step - 2), now));
        Assert.Null(Totp.Match(secret, "12345", now));
    }

    [Fact]
    public void Initial_passwords_satisfy_the_policy()
    {
        for (var i = 0; i < 200; i++) Assert.Empty(PasswordPolicy.Check(UserService.NewInitialPassword("someone"), "someone"));
        // A name of the password's own alphabet: a plain draw would share three letters with it about once in 250.
        var hexName = "m0a1b2c3d4e5f6a7b8c9d";
        for (var i = 0; i < 2000; i++) Assert.Empty(PasswordPolicy.Check(UserService.NewInitialPassword(hexName), hexName));
    }
}
