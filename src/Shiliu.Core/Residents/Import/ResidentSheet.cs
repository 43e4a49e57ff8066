using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using Shiliu.Core.Common;

namespace Shiliu.Core.Residents.Import;

/// <summary>A column of the 少数民族信息台账 sheet: its header, the form field it fills, and the header spellings clerks use.</summary>
public sealed record SheetColumn(string Field, string Header, bool Required, double Width, string Hint, string[] Aliases)
{
    /// <summary>The form's own length limit for this field (one source for form and sheet).</summary>
    public int MaxLength { get; } = typeof(SaveResident).GetProperty(Field)?.GetCustomAttribute<StringLengthAttribute>()?.MaximumLength ?? 0;
}

/// <summary>
/// The layout shared by the import template, the import reader, the error sheet and the ledger export, so a ledger a
/// community exported (with full ID numbers) or an error sheet it fixed can be imported back as it is.
/// </summary>
public static class ResidentSheet
{
    public const string SheetName = "居民信息";
    public const string ErrorHeader = "错误说明";
    public const string RowHeader = "原行号";

    // Fields that are not SaveResident properties.
    public const string GridField = "Grid";
    public const string SeqField = "Seq";

    public static readonly SheetColumn[] Columns =
    [
        new(SeqField, "序号", false, 6, "可不填", ["序号", "编号"]),
        new(nameof(SaveResident.Name), "姓名", true, 10, "必填", ["姓名", "名字"]),
        new(nameof(SaveResident.Gender), "性别", false, 6, "男/女，可不填（按身份证号核对）", ["性别"]),
        new(nameof(SaveResident.EthnicityCode), "民族", true, 10, "必填，从下拉列表选择，如：彝族", ["民族", "民族名称", "民族代码"]),
        new(nameof(SaveResident.IdNumber), "公民身份号码", true, 21, "必填，18位（旧的15位号码自动转换）；请把本列设为“文本”", ["公民身份号码", "身份证号", "身份证号码", "身份证"]),
        new(nameof(SaveResident.BirthDate), "出生日期", false, 12, "可不填（按身份证号核对）", ["出生日期", "出生年月", "出生年月日"]),
        new(nameof(SaveResident.Phone), "联系电话", false, 14, "手机11位或带区号的固定电话", ["联系电话", "电话", "手机", "手机号", "电话号码", "联系方式"]),
        new(nameof(SaveResident.HouseholdNo), "户号", false, 10, "同一户的人填相同户号", ["户号", "户编号"]),
        new(nameof(SaveResident.RelationToHead), "与户主关系", false, 10, "户主/配偶/子/女/父母等", ["与户主关系", "关系"]),
        new(nameof(SaveResident.Address), "现住址", false, 24, "", ["现住址", "住址", "居住地址", "地址", "现居住地址"]),
        new(GridField, "所属网格", false, 14, "从下拉列表选择，可不填", ["所属网格", "网格"]),
        new(nameof(SaveResident.ResidenceType), "人员类型", true, 10, "必填：常住/流动/辖区单位", ["人员类型", "类型", "人口类型", "类别"]),
        new(nameof(SaveResident.OriginPlace), "户籍地（流出地）", false, 20, "流动人口必填", ["户籍地（流出地）", "户籍地", "流出地", "户籍所在地"]),
        new(nameof(SaveResident.ArrivalDate), "流入时间", false, 12, "流动人口必填，如 2019.3.1、2019年3月1日", ["流入时间", "流入日期", "来本地时间"]),
        new(nameof(SaveResident.ExpectedStay), "预计居住时间", false, 12, "流动人口填写，如：2年", ["预计居住时间", "预计居住期限"]),
        new(nameof(SaveResident.ArrivalReason), "流入原因", false, 12, "务工/经商/就学/投亲等", ["流入原因", "来本地原因"]),
        new(nameof(SaveResident.Employer), "工作单位", false, 18, "辖区单位人员必填", ["工作单位", "所在单位", "单位"]),
        new(nameof(SaveResident.Languages), "掌握语言", false, 14, "如：彝语、汉语", ["掌握语言", "语言", "使用语言"]),
        new(nameof(SaveResident.Needs), "需求", false, 16, "多项用顿号分隔：就业、培训、入学、医疗、救助、翻译、法律、住房、其他", ["需求", "主要需求", "服务需求"]),
        new(nameof(SaveResident.Status), "状态", false, 8, "在册/迁出/死亡/注销，不填为在册", ["状态", "人员状态"]),
        new(nameof(SaveResident.StatusDate), "变动日期", false, 12, "状态不是“在册”时必填", ["变动日期", "状态日期"]),
        new(nameof(SaveResident.Notes), "备注", false, 20, "", ["备注"]),
    ];

    public static readonly string[] Relations = ["户主", "配偶", "子", "女", "父亲", "母亲", "孙子", "孙女", "兄弟姐妹", "儿媳", "女婿", "其他"];

    static readonly Dictionary<string, int> Index = Columns.Select((c, i) => (c.Field, i)).ToDictionary(x => x.Field, x => x.i);

    public static int IndexOf(string field) => Index[field];

    /// <summary>
    /// What clerks' spreadsheets really hold: full-width letters and digits (NFKC), ideographic and non-breaking
    /// spaces, stray spaces at either end.
    /// </summary>
    public static string Clean(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return "";
        // Normalising is costly per cell; only full-width forms and the ideographic space need it (the common case has none).
        var s = raw;
        foreach (var c in raw)
            if (c is >= '\uFF00' and <= '\uFFEF' or '\u3000')
            {
                s = raw.Normalize(NormalizationForm.FormKC);
                break;
            }
        s = s.Replace('\u00A0', ' ').Trim();
        // Exports (the error sheet, the ledger) keep = + - @ from turning into formulas with a leading apostrophe; a sheet
        // that comes back drops it again.
        return s.Length > 1 && s[0] == '\'' && s[1] is '=' or '+' or '-' or '@' ? s[1..] : s;
    }

    /// <summary>A header cell matched to a column: "*姓名", "姓名（必填）", " 身份证号 " all count.</summary>
    public static int? MatchHeader(string text)
    {
        var h = Clean(text).Replace("*", "").Replace(" ", "");
        foreach (var suffix in new[] { "(必填)", "(选填)" }) h = h.Replace(suffix, "");
        for (var i = 0; i < Columns.Length; i++)
            if (Columns[i].Aliases.Any(a => string.Equals(Clean(a).Replace(" ", ""), h, StringComparison.Ordinal))) return i;
        return null;
    }

    /// <summary>
    /// Dates as clerks type them — 2019.3.1, 2019年3月1日, 2019/03/01, 2019-3-1, 20190301, 2019年3月 (the 1st) — or an
    /// Excel date serial (a date cell, or its number pasted as text).
    /// </summary>
    public static bool TryDate(XlsxCell cell, out DateOnly date, out string? error)
    {
        date = default;
        error = null;
        var text = Clean(cell.Text);
        if (cell.IsNumber || (text.Length == 5 && text.All(char.IsAsciiDigit)))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and < 2958466)
            {
                if (!cell.IsNumber || cell.IsDate || serial is >= 3000 and <= 80000)
                {
                    // Excel's day 60 is the 1900 leap day that never was; serials after it count from 1899-12-30.
                    date = DateOnly.FromDateTime(new DateTime(1899, 12, 30).AddDays(Math.Floor(serial < 61 ? serial + 1 : serial)));
                    return true;
                }
            }
            if (cell.IsNumber && text.Length == 8 && text.All(char.IsAsciiDigit)) return TryDigits(text, out date, out error);
            error = $"“{text}”不是日期";
            return false;
        }
        if (text.Length == 8 && text.All(char.IsAsciiDigit)) return TryDigits(text, out date, out error);
        var parts = text.Replace("年", "/").Replace("月", "/").Replace("日", "").Replace("号", "").Replace('.', '/').Replace('-', '/').Replace('\\', '/')
            .Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // A time part (2019/3/1 0:00:00) is ignored.
        if (parts.Length >= 3 && parts[2].Contains(' ')) parts[2] = parts[2][..parts[2].IndexOf(' ')];
        if (parts.Length is 2 or 3 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            var y = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var m = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var d = parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 1;
            if (y is >= 1900 and <= 2100 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
            {
                date = new DateOnly(y, m, d);
                return true;
            }
        }
        error = $"“{text}”不是有效日期（可写作 2019.3.1、2019年3月1日 或 2019/03/01）";
        return false;
    }

    static bool TryDigits(string text, out DateOnly date, out string? error)
    {
        error = null;
        if (DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.Year >= 1900) return true;
        error = $"“{text}”不是有效日期";
        return false;
    }

    /// <summary>A number Excel stored as a number (a phone typed into a General cell): back to its digits.</summary>
    public static string Digits(XlsxCell cell)
    {
        var text = Clean(cell.Text);
        if (cell.IsNumber && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d))
            return d.ToString("0", CultureInfo.InvariantCulture);
        return text;
    }

    public static bool TryResidenceType(string text, out ResidenceType type)
    {
        type = text switch
        {
            "常住" or "常住人口" or "户籍" or "户籍人口" => ResidenceType.Permanent,
            "流动" or "流动人口" or "暂住" => ResidenceType.Floating,
            "辖区单位" or "辖区单位人员" or "单位" or "驻区单位" => ResidenceType.UnitEmployee,
            _ => 0,
        };
        return type != 0;
    }

    public static bool TryStatus(string text, out ResidentStatus status)
    {
        status = text switch
        {
            "" or "在册" or "正常" => ResidentStatus.Registered,
            "迁出" or "已迁出" => ResidentStatus.MovedOut,
            "死亡" or "已故" => ResidentStatus.Deceased,
            "注销" or "已注销" => ResidentStatus.Cancelled,
            _ => 0,
        };
        return status != 0;
    }

    public static bool TryGender(string text, out Gender gender)
    {
        gender = text switch { "" => Gender.Unknown, "男" or "男性" => Gender.Male, "女" or "女性" => Gender.Female, _ => (Gender)(-1) };
        return (int)gender >= 0;
    }

    /// <summary>就业、培训 / 就业,培训 / 就业；培训 — any of the separators clerks use.</summary>
    public static bool TryNeeds(string text, out ResidentNeeds needs, out string? unknown)
    {
        needs = ResidentNeeds.None;
        unknown = null;
        foreach (var part in text.Split(['、', ',', '，', ';', '；', '/', ' ', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = ResidentNames.Needs.FirstOrDefault(n => n.Name == part || n.Name == part.TrimEnd('需', '求').Trim());
            if (match.Name is null)
            {
                unknown = part;
                return false;
            }
            needs |= match.Need;
        }
        return true;
    }
}
