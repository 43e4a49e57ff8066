using Shiliu.Core.Common;
using Shiliu.Core.Residents;
using Shiliu.Core.Residents.Import;

namespace Shiliu.Testing;

/// <summary>
/// Import files as clerks fill them: the template's layout, realistic names and households, dates in the formats people
/// type, full-width digits and stray spaces here and there, and a chosen number of bad rows of every kind. Shared by the
/// tests, the browser journey and the benchmark.
/// </summary>
public static class ResidentWorkbooks
{
    static readonly string[] Surnames = ["者", "李", "普", "白", "刀", "罗", "杨", "王", "方", "陈", "张", "施", "龙", "马", "郭", "鲁", "沐", "董"];
    static readonly string[] Given = ["玉兰", "文华", "建国", "美英", "志强", "春梅", "金花", "正明", "秀英", "国荣", "丽芬", "永福", "学文", "桂香", "自发", "海燕"];
    static readonly string[] Ethnicities = ["彝族", "傣族", "哈尼族", "拉祜族", "回族", "苗族", "白族", "汉族"];
    static readonly string[] Places = ["云南省楚雄州双柏县", "云南省红河州元阳县", "云南省普洱市墨江县", "四川省凉山州西昌市", "云南省玉溪市元江县"];

    /// <summary>What a file holds: the row numbers (as Excel shows them) that must be refused, and why.</summary>
    public sealed record Made(int Rows, IReadOnlyDictionary<int, string> BadRows, IReadOnlyList<string> IdNumbers);

    /// <summary>A valid ID number of Xinping (530427) for person <paramref name="n"/> of a series (distinct per n and seed).</summary>
    public static string Id(long n, int seed)
    {
        var birth = new DateOnly(1940, 1, 1).AddDays((int)((n * 2417 + seed * 131) % 27000));
        var seq = (int)((n / 27000 + seed * 17 + n) % 1000);
        var body = $"530427{birth:yyyyMMdd}{seq:000}";
        return body + IdNumber.CheckChar(body);
    }

    /// <summary>
    /// Writes <paramref name="rows"/> data rows (plus the header) of which <paramref name="bad"/> are wrong in one way
    /// each, spread through the file; a few blank rows are left in as clerks do (they must not shift row numbers).
    /// </summary>
    public static Made Write(Stream output, int rows, int bad = 0, int seed = 1, bool sharedStrings = true, bool blankRows = true, string? grid = null)
    {
        var cols = ResidentSheet.Columns;
        var badRows = new Dictionary<int, string>();
        var ids = new List<string>(rows);
        var rnd = new Random(seed);
        var badEvery = bad == 0 ? int.MaxValue : Math.Max(1, rows / (bad + 1));
        string[] kinds = ["check", "ethnicity", "origin", "date", "phone", "duplicate", "gender", "birth", "type", "status"];
        using var x = new XlsxWriter(output, sharedStrings);
        using var sheet = x.AddSheet(ResidentSheet.SheetName, cols.Select(c => c.Width).ToArray(), frozenRows: 1);
        sheet.Row(cols.Select(c => c.Header).ToArray(), XlsxStyle.Header);
        var household = 0;
        var made = 0;
        string? firstId = null;
        for (var i = 0; i < rows; i++)
        {
            if (blankRows && i > 0 && i % 500 == 0) sheet.Row(new string?[cols.Length]); // a blank row: skipped, numbers kept
            var excelRow = (int)sheet.NextRow;
            var id = Id(i, seed);
            var member = i % 4;
            if (member == 0) household++;
            var floating = i % 5 == 1;
            var unitEmployee = i % 11 == 3 && !floating;
            var v = new string?[cols.Length];
            v[0] = (i + 1).ToString();
            v[1] = Surnames[rnd.Next(Surnames.Length)] + Given[rnd.Next(Given.Length)];
            v[3] = Ethnicities[i % Ethnicities.Length];
            // Full-width digits and padding in some rows, as pasted from other systems.
            v[4] = i % 13 == 5 ? " " + string.Concat(id.Select(c => char.IsAsciiDigit(c) ? (char)(c - '0' + '０') : c)) + " " : id;
            v[6] = i % 3 == 0 ? $"139{seed % 10}{i % 10_000_000:0000000}" : null;
            v[7] = $"H{seed:00}-{household:000000}";
            v[8] = member == 0 ? "户主" : member == 1 ? "配偶" : "子";
            v[9] = $"新平县桂山街道{household % 300 + 1}号";
            v[10] = grid;
            v[11] = floating ? "流动" : unitEmployee ? "辖区单位" : "常住";
            if (floating)
            {
                v[12] = Places[i % Places.Length];
                v[13] = (i % 4) switch { 0 => "2019.3.1", 1 => "2019年3月1日", 2 => "2019/03/01", _ => "43525" };
                v[14] = "2年";
                v[15] = "务工";
            }
            if (unitEmployee) v[16] = "新平县人民医院";
            v[17] = i % 2 == 0 ? "彝语、汉语" : "汉语";
            v[18] = i % 7 == 0 ? "就业、培训" : i % 9 == 0 ? "医疗" : null;
            if (i > 0 && made < bad && i % badEvery == 0)
            {
                var kind = kinds[made % kinds.Length];
                made++;
                switch (kind)
                {
                    case "check": v[4] = id[..17] + (id[17] == '1' ? '2' : '1'); break;
                    case "ethnicity": v[3] = "火星族"; break;
                    case "origin": v[11] = "流动"; v[12] = null; v[13] = "2020.5.6"; break;
                    case "date": v[11] = "流动"; v[12] = Places[0]; v[13] = "2019年13月1日"; break;
                    case "phone": v[6] = "12345"; break;
                    case "duplicate": v[4] = firstId; break;
                    case "gender": v[2] = IdNumber.TryParse(id, out var p, out _) && p!.Gender == Gender.Male ? "女" : "男"; break;
                    case "birth": v[5] = "1900-01-01"; break;
                    case "type": v[11] = "外来"; break;
                    case "status": v[19] = "迁出"; break;
                }
                badRows[excelRow] = kind;
            }
            else ids.Add(id);
            firstId ??= id;
            sheet.Row(v);
        }
        return new Made(rows, badRows, ids);
    }

    /// <summary>
    /// What a clerk does with the error sheet: reads each row's reasons and corrects those cells, leaving the sheet's
    /// extra columns (original row, reasons) in place.
    /// </summary>
    public static void Fix(Stream errorSheet, Stream output, int seed)
    {
        using var reader = XlsxReader.Open(errorSheet);
        var rows = reader.Rows().ToList();
        var header = rows[0];
        var width = header.Cells.Keys.Max() + 1;
        var field = new Dictionary<string, int>();
        foreach (var (col, cell) in header.Cells)
            if (ResidentSheet.MatchHeader(cell.Text) is { } i) field[ResidentSheet.Columns[i].Header] = col;
        var reasonsCol = header.Cells.Single(c => c.Value.Text == ResidentSheet.ErrorHeader).Key;
        using var x = new XlsxWriter(output);
        using var sheet = x.AddSheet(ResidentSheet.SheetName, []);
        sheet.Row(Enumerable.Range(0, width).Select(c => header[c]?.Text).ToArray(), XlsxStyle.Header);
        var n = 0;
        foreach (var row in rows.Skip(1))
        {
            var v = Enumerable.Range(0, width).Select(c => row[c]?.Text).ToArray();
            var reasons = row[reasonsCol]?.Text ?? "";
            bool Has(string column) => reasons.Contains(column + "：", StringComparison.Ordinal);
            if (Has("公民身份号码")) v[field["公民身份号码"]] = Id(5_000_000 + n++, seed);
            if (Has("民族")) v[field["民族"]] = "彝族";
            if (Has("户籍地（流出地）")) v[field["户籍地（流出地）"]] = Places[0];
            if (Has("流入时间")) v[field["流入时间"]] = "2019.3.1";
            if (Has("联系电话")) v[field["联系电话"]] = null;
            if (Has("性别")) v[field["性别"]] = null;
            if (Has("出生日期")) v[field["出生日期"]] = null;
            if (Has("人员类型")) v[field["人员类型"]] = "常住";
            if (Has("变动日期")) v[field["状态"]] = "在册";
            sheet.Row(v);
        }
    }
}
