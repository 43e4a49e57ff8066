using System.Globalization;

namespace Shiliu.Core.Residents;

/// <summary>
/// Citizen ID numbers (公民身份号码, GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence whose last
/// digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check character. Old 15-digit numbers (no century,
/// no check character) are converted to 18.
/// </summary>
public static class IdNumber
{
    static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const string CheckChars = "10X98765432";

    public sealed record Parsed(string Value, DateOnly BirthDate, Gender Gender, string AreaCode, bool Converted);

    /// <summary>Full-width digits and a lower-case x are what clerks type; both are normalised first.</summary>
    public static string Normalize(string? raw)
    {
        // Most values are already clean (18 ASCII digits, maybe a final X): returned as they are, without a copy.
        if (raw is { Length: 18 } && raw.AsSpan(0, 17).IndexOfAnyExceptInRange('0', '9') < 0 && (char.IsAsciiDigit(raw[17]) || raw[17] == 'X')) return raw;
        var s = (raw ?? "").Trim();
        var chars = s.Select(c => c is >= '０' and <= '９' ? (char)(c - '０' + '0') : c is 'x' or 'ｘ' or 'Ｘ' ? 'X' : c).Where(c => !char.IsWhiteSpace(c));
        return new string(chars.ToArray());
    }

    public static char CheckChar(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    /// <summary>Parses and validates; the error is a Chinese sentence naming what is wrong, for forms and import reports.</summary>
    public static bool TryParse(string? raw, out Parsed? parsed, out string? error)
    {
        parsed = null;
        var s = Normalize(raw);
        var converted = false;
        if (s.Length == 15 && s.All(char.IsAsciiDigit))
        {
            var body = s[..6] + "19" + s[6..];
            s = body + CheckChar(body);
            converted = true;
        }
        if (s.Length != 18)
        {
            error = $"身份证号应为18位（现为{s.Length}位）";
            return false;
        }
        if (s.AsSpan(0, 17).IndexOfAnyExceptInRange('0', '9') >= 0 || !(char.IsAsciiDigit(s[17]) || s[17] == 'X'))
        {
            error = "身份证号只能由数字和末位的X组成";
            return false;
        }
        if (!TryBirthDate(s.AsSpan(6, 8), out var birth))
        {
            error = $"身份证号中的出生日期“{s.Substring(6, 8)}”不是有效日期";
            return false;
        }
        var check = CheckChar(s);
        if (s[17] != check)
        {
            error = $"身份证号校验码错误（末位应为{check}），请核对是否录错";
            return false;
        }
        error = null;
        parsed = new Parsed(s, birth, (s[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female, s[..6], converted);
        return true;
    }

    /// <summary>yyyyMMdd of digits already checked, from 1900 on; a day that does not exist in its month is refused.</summary>
    static bool TryBirthDate(ReadOnlySpan<char> d, out DateOnly date)
    {
        date = default;
        int year = int.Parse(d[..4], NumberStyles.None, CultureInfo.InvariantCulture), month = int.Parse(d.Slice(4, 2), NumberStyles.None, CultureInfo.InvariantCulture),
            day = int.Parse(d.Slice(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        if (year < 1900 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// 530427********123X (SECURITY #36): the area code and the last four stay, which is what clerks use to tell people
    /// apart; the birth date is hidden, and no output shows it next to the masked number (only the age).
    /// </summary>
    public static string Mask(string value) => value.Length < 10 ? new string('*', value.Length) : value[..6] + new string('*', value.Length - 10) + value[^4..];
}

public static class Phone
{
    /// <summary>Mainland mobile (1 + 10 digits) or a landline with area code (0 + 9–11 digits, a dash allowed).</summary>
    public static bool TryNormalize(string? raw, out string value, out string? error)
    {
        // The common case, a plain 11-digit mobile number, is taken as it is.
        if (raw is { Length: 11 } && raw[0] == '1' && raw[1] is >= '3' and <= '9' && raw.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            (value, error) = (raw, null);
            return true;
        }
        var s = new string((raw ?? "").Where(c => !char.IsWhiteSpace(c)).Select(c => c is >= '０' and <= '９' ? (char)(c - '０' + '0') : c).ToArray());
        if (s.StartsWith("+86", StringComparison.Ordinal)) s = s[3..];
        var digits = s.Replace("-", "", StringComparison.Ordinal);
        value = digits;
        if (digits.Length == 11 && digits[0] == '1' && digits.All(char.IsAsciiDigit) && digits[1] is >= '3' and <= '9')
        {
            error = null;
            return true;
        }
        if (digits.Length is >= 10 and <= 12 && digits[0] == '0' && digits.All(char.IsAsciiDigit))
        {
            error = null;
            return true;
        }
        error = "电话号码格式不正确（手机号11位，固定电话须带区号）";
        return false;
    }

    /// <summary>138****5678.</summary>
    public static string Mask(string value) => value.Length < 7 ? new string('*', value.Length) : value[..3] + new string('*', value.Length - 7) + value[^4..];
}
