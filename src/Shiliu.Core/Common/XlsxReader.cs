using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace Shiliu.Core.Common;

/// <summary>One non-empty cell: its text as stored (numbers in invariant form), and what kind of cell it was.</summary>
public readonly record struct XlsxCell(string Text, bool IsNumber, bool IsDate, bool IsFormula, bool IsError);

/// <summary>A row as Excel numbers it (1-based, gaps kept), cells by 0-based column.</summary>
public sealed record XlsxRow(int Number, IReadOnlyDictionary<int, XlsxCell> Cells)
{
    public XlsxCell? this[int column] => Cells.TryGetValue(column, out var c) ? c : null;
}

/// <summary>Limits that keep a hostile workbook (zip bomb, giant sheet) from exhausting the server.</summary>
public sealed record XlsxLimits(long MaxPartBytes = 1_500_000_000, double MaxRatio = 200, int MaxRows = 1_048_576, int MaxColumns = 100,
    int MaxSharedStrings = 6_000_000, long MaxSharedStringChars = 200_000_000, int MaxEntries = 1_000, long MaxTotalBytes = 2_000_000_000);

/// <summary>
/// A forward-only reader of the first (or a named) worksheet of an .xlsx: parts are read straight from the zip with the
/// XML parser, rows are streamed, nothing but the shared-string table is held in memory. Written for imports, so every
/// refusal is a Chinese sentence a clerk can act on.
/// </summary>
public sealed class XlsxReader : IDisposable
{
    const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    readonly ZipArchive _zip;
    readonly XlsxLimits _limits;
    readonly List<string> _strings = [];
    readonly List<bool> _dateStyles = [];
    readonly string _sheetPath;

    public string SheetName { get; }

    XlsxReader(ZipArchive zip, XlsxLimits limits, string? preferredSheet, bool lazyStrings)
    {
        _zip = zip;
        _limits = limits;
        if (zip.Entries.Count > limits.MaxEntries) throw Refuse($"文件内部包含 {zip.Entries.Count:N0} 个部件（正常的 Excel 文件只有几十个），已拒绝");
        if (zip.Entries.Sum(e => e.Length) > limits.MaxTotalBytes)
            throw Refuse($"文件解压后超过 {limits.MaxTotalBytes / 1_000_000_000.0:0.#} GB，疑似压缩炸弹，已拒绝；如确是大表，请拆分后分批导入");
        foreach (var e in zip.Entries)
        {
            if (e.Length > limits.MaxPartBytes)
                throw Refuse($"文件中的“{e.FullName}”解压后超过 {limits.MaxPartBytes / 1_000_000} MB，疑似压缩炸弹，已拒绝");
            if (e.Length > 20_000_000 && e.CompressedLength > 0 && (double)e.Length / e.CompressedLength > limits.MaxRatio)
                throw Refuse("文件压缩比异常（疑似压缩炸弹），已拒绝。请在 Excel 中重新保存后再导入");
        }
        var (name, path) = FindSheet(preferredSheet);
        (SheetName, _sheetPath) = (name, path);
        ReadStyles();
        ReadSharedStrings(lazyStrings);
    }

    /// <summary>
    /// Opens a workbook from a seekable stream (a staged upload); refuses what is not an .xlsx with a reason. With
    /// <paramref name="lazyStrings"/> the shared strings are read only as far as the cells read need them: for a look at
    /// the first rows (a header check) instead of a whole sheet.
    /// </summary>
    public static XlsxReader Open(Stream stream, XlsxLimits? limits = null, string? preferredSheet = null, bool lazyStrings = false)
    {
        Span<byte> head = stackalloc byte[8];
        var n = stream.ReadAtLeast(head, 8, throwOnEndOfStream: false);
        stream.Position = 0;
        if (n == 0) throw Refuse("文件是空的（0 字节）");
        if (n >= 8 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0)
            throw Refuse("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入");
        if (n < 4 || head[0] != 'P' || head[1] != 'K')
            throw Refuse("文件不是 Excel 工作簿（.xlsx）。请使用下载的导入模板填写");
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw Refuse("文件已损坏，无法作为 Excel 工作簿（.xlsx）打开");
        }
        try
        {
            return new XlsxReader(zip, limits ?? new XlsxLimits(), preferredSheet, lazyStrings);
        }
        catch (InvalidDataException)
        {
            zip.Dispose();
            throw Refuse("文件已损坏，无法作为 Excel 工作簿（.xlsx）打开");
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    static RuleViolation Refuse(string message) => new(CommonErrors.Spreadsheet, message);

    Stream OpenPart(string path)
    {
        var e = _zip.GetEntry(path) ?? _zip.Entries.FirstOrDefault(x => string.Equals(x.FullName, path, StringComparison.OrdinalIgnoreCase))
            ?? throw Refuse($"文件缺少“{path}”，不是完整的 Excel 工作簿");
        Stream part;
        try
        {
            part = e.Open();
        }
        catch (InvalidDataException)
        {
            // A damaged local header or an unknown compression method: found by the fuzz test, once a 500.
            throw Refuse($"文件已损坏，其中的“{path}”无法解压。请在 Excel 中重新保存后再导入");
        }
        // The header's size can lie; the capped stream stops a part that inflates past what it declared.
        return new CappedStream(part, Math.Min(e.Length, _limits.MaxPartBytes) + 1);
    }

    XmlReader Xml(string path) => XmlReader.Create(OpenPart(path), new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true, CloseInput = true,
    });

    (string Name, string Path) FindSheet(string? preferred)
    {
        var sheets = new List<(string Name, string Rid)>();
        try
        {
            using (var x = Xml("xl/workbook.xml"))
                while (x.Read())
                    if (x.NodeType == XmlNodeType.Element && x.LocalName == "sheet" && x.NamespaceURI == MainNs)
                        sheets.Add((x.GetAttribute("name") ?? "", x.GetAttribute("id", RelNs) ?? ""));
            if (sheets.Count == 0) throw Refuse("工作簿里没有工作表");
            var chosen = sheets.FirstOrDefault(s => preferred is not null && s.Name == preferred);
            if (chosen.Name is null) chosen = sheets[0];
            string? target = null;
            using (var x = Xml("xl/_rels/workbook.xml.rels"))
                while (x.Read())
                    if (x.NodeType == XmlNodeType.Element && x.LocalName == "Relationship" && x.GetAttribute("Id") == chosen.Rid)
                        target = x.GetAttribute("Target");
            if (target is null) throw Refuse("工作簿结构不完整（找不到工作表）");
            var path = target.StartsWith('/') ? target[1..] : "xl/" + target;
            return (chosen.Name, path);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            throw Refuse("工作簿结构已损坏（XML 无法解析）");
        }
    }

    void ReadStyles()
    {
        if (_zip.GetEntry("xl/styles.xml") is null) return;
        var custom = new Dictionary<int, bool>();
        try
        {
            using var x = Xml("xl/styles.xml");
            var inCellXfs = false;
            while (x.Read())
            {
                if (x.NodeType == XmlNodeType.EndElement && x.LocalName == "cellXfs") inCellXfs = false;
                if (x.NodeType != XmlNodeType.Element) continue;
                switch (x.LocalName)
                {
                    case "numFmt":
                        if (int.TryParse(x.GetAttribute("numFmtId"), out var id)) custom[id] = IsDateFormat(x.GetAttribute("formatCode") ?? "");
                        break;
                    case "cellXfs":
                        inCellXfs = !x.IsEmptyElement;
                        break;
                    case "xf" when inCellXfs:
                        int.TryParse(x.GetAttribute("numFmtId"), out var fmt);
                        _dateStyles.Add(custom.TryGetValue(fmt, out var d) ? d : fmt is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58);
                        break;
                }
            }
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            throw Refuse("工作簿的样式部分已损坏（XML 无法解析）");
        }
    }

    /// <summary>A number format shows a date when it has y/m/d outside quoted text and [colour] blocks.</summary>
    static bool IsDateFormat(string code)
    {
        var quoted = false;
        var bracket = false;
        foreach (var c in code)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '[') bracket = true;
            else if (!quoted && c == ']') bracket = false;
            else if (!quoted && !bracket && c is 'y' or 'Y' or 'd' or 'D' or 'e' || (!quoted && !bracket && c is '年' or '月' or '日')) return true;
        }
        return false;
    }

    /// <summary>
    /// The shared-string table, read at once, or lazily as far as the cells asked for so far need (a header check then
    /// reads a few dozen strings, not the whole table). Lazily reading a whole sheet is slower: the two parts of the zip
    /// are then inflated in turns, seeking the file back and forth.
    /// </summary>
    void ReadSharedStrings(bool lazy)
    {
        if (_zip.GetEntry("xl/sharedStrings.xml") is null) return;
        _shared = new SharedStrings(this);
        if (lazy) return;
        try
        {
            _shared.ReadTo(int.MaxValue);
        }
        catch
        {
            // The constructor fails: nobody will dispose the reader, so its open part is closed here.
            _shared.Dispose();
            throw;
        }
    }

    SharedStrings? _shared;

    /// <summary>Shared string <paramref name="index"/>, reading the table forward to it; null when there is no such string.</summary>
    string? SharedString(int index) =>
        index < 0 ? null : index < _strings.Count ? _strings[index] : _shared is not null && _shared.ReadTo(index) ? _strings[index] : null;

    sealed class SharedStrings(XlsxReader owner) : IDisposable
    {
        XmlReader? _x = owner.Xml("xl/sharedStrings.xml");
        readonly System.Text.StringBuilder _sb = new();
        long _chars;
        bool _phonetic;
        bool _skipRead;

        /// <summary>Reads on until the string <paramref name="index"/> is in the list or the table ends.</summary>
        public bool ReadTo(int index)
        {
            var strings = owner._strings;
            try
            {
                // ReadText leaves the reader on the next node, which must not be skipped by another Read.
                while (strings.Count <= index && _x is not null && (_skipRead || _x.Read()))
                {
                    var x = _x;
                    _skipRead = false;
                    if (x.NodeType == XmlNodeType.Element)
                    {
                        if (x.LocalName == "si")
                        {
                            _sb.Clear();
                            // <si/> is an empty string that still takes its index.
                            if (x.IsEmptyElement) Add();
                        }
                        else if (x.LocalName == "rPh") _phonetic = !x.IsEmptyElement;
                        else if (x.LocalName == "t")
                        {
                            var t = owner.ReadText(x);
                            if (!_phonetic)
                            {
                                _sb.Append(t);
                                _chars += t.Length;
                            }
                            _skipRead = true;
                        }
                    }
                    else if (x.NodeType == XmlNodeType.EndElement)
                    {
                        if (x.LocalName == "rPh") _phonetic = false;
                        else if (x.LocalName == "si") Add();
                    }
                }
            }
            catch (Exception e) when (e is XmlException or InvalidDataException)
            {
                throw Refuse("工作簿的文字部分已损坏（XML 无法解析）");
            }
            if (strings.Count <= index) Dispose(); // the table ended before it
            return strings.Count > index;
        }

        void Add()
        {
            owner._strings.Add(_sb.ToString());
            _sb.Clear();
            if (owner._strings.Count > owner._limits.MaxSharedStrings)
                throw Refuse($"文件中的文字过多（超过 {owner._limits.MaxSharedStrings:N0} 个不同的文字单元格），请拆分后分批导入");
            if (_chars > owner._limits.MaxSharedStringChars)
                throw Refuse($"文件中的文字总量过大（超过 {owner._limits.MaxSharedStringChars / 1_000_000:N0} 百万字），请拆分后分批导入");
        }

        public void Dispose()
        {
            _x?.Dispose();
            _x = null;
        }
    }

    /// <summary>Streams the sheet's non-empty rows; the caller stops when it has what it needs.</summary>
    public IEnumerable<XlsxRow> Rows()
    {
        using var x = Xml(_sheetPath);
        var rowNo = 0;
        var width = 0; // cells of the last row: the next row's dictionary starts that big instead of growing several times
        while (true)
        {
            bool more;
            try
            {
                more = x.Read();
            }
            catch (Exception e) when (e is XmlException or InvalidDataException)
            {
                throw Refuse($"工作表在第 {rowNo} 行附近已损坏（XML 无法解析），请在 Excel 中重新保存后再导入");
            }
            if (!more) break;
            if (x.NodeType == XmlNodeType.Element && x.LocalName == "row")
            {
                rowNo = int.TryParse(x.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rowNo + 1;
                if (rowNo > _limits.MaxRows) throw Refuse($"工作表超过 {_limits.MaxRows:N0} 行，请拆分后分批导入");
                if (x.IsEmptyElement) continue;
                var cells = new Dictionary<int, XlsxCell>(width);
                var col = -1;
                var rowDepth = x.Depth;
                while (ReadInRow(x, rowDepth))
                {
                    if (x.NodeType != XmlNodeType.Element || x.LocalName != "c") continue;
                    col = ColumnIndex(x.GetAttribute("r")) ?? col + 1;
                    var cell = ReadCell(x, rowNo);
                    if (cell is { } c && col < _limits.MaxColumns && (c.Text.Length > 0 || c.IsFormula)) cells[col] = c;
                }
                width = Math.Max(cells.Count, 4);
                if (cells.Count > 0) yield return new XlsxRow(rowNo, cells);
            }
        }
    }

    bool ReadInRow(XmlReader x, int rowDepth)
    {
        try
        {
            return x.Read() && !(x.NodeType == XmlNodeType.EndElement && x.Depth == rowDepth);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            throw Refuse("工作表已损坏（XML 无法解析），请在 Excel 中重新保存后再导入");
        }
    }

    XlsxCell? ReadCell(XmlReader x, int rowNo)
    {
        try
        {
            return ReadCellCore(x, rowNo);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            throw Refuse($"工作表在第 {rowNo} 行已损坏，请在 Excel 中重新保存后再导入");
        }
    }

    XlsxCell? ReadCellCore(XmlReader x, int rowNo)
    {
        var type = x.GetAttribute("t");
        var style = int.TryParse(x.GetAttribute("s"), out var s) ? s : 0;
        if (x.IsEmptyElement) return null;
        string? value = null;
        var formula = false;
        var depth = x.Depth;
        while (x.Read() && !(x.NodeType == XmlNodeType.EndElement && x.Depth == depth))
        {
            if (x.NodeType != XmlNodeType.Element) continue;
            switch (x.LocalName)
            {
                case "v":
                    // <v> holds a number or a shared-string index: short in any real file, bounded by the part cap otherwise;
                    // the fast read keeps a million-row sheet quick. Text (<t>) is read in capped chunks.
                    value = x.ReadElementContentAsString();
                    if (x.NodeType == XmlNodeType.EndElement && x.Depth == depth) goto done;
                    break;
                case "f":
                    formula = true;
                    break;
                case "t":
                    value = (value ?? "") + ReadText(x);
                    if (x.NodeType == XmlNodeType.EndElement && x.Depth == depth) goto done;
                    break;
            }
        }
        done:
        value ??= "";
        switch (type)
        {
            case "s":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || SharedString(i) is not { } text)
                    throw Refuse($"第 {rowNo} 行引用了不存在的文字（文件已损坏）");
                return new XlsxCell(text, false, false, formula, false);
            case "e":
                return new XlsxCell(value, false, false, formula, true);
            case "b":
                return new XlsxCell(value == "1" ? "TRUE" : "FALSE", false, false, formula, false);
            case "str" or "inlineStr":
                return new XlsxCell(value, false, false, formula, false);
            default:
                var isDate = style < _dateStyles.Count && _dateStyles[style];
                return new XlsxCell(value, value.Length > 0, isDate, formula, false);
        }
    }

    /// <summary>Excel's own limit for one cell; a longer text is not a real spreadsheet's.</summary>
    public const int MaxCellChars = 32_767;

    /// <summary>
    /// An element's text, read in chunks so a single giant cell is refused before it is held in memory; leaves the reader
    /// after the element, as ReadElementContentAsString does.
    /// </summary>
    string ReadText(XmlReader x)
    {
        if (x.IsEmptyElement)
        {
            x.Read();
            return "";
        }
        var depth = x.Depth;
        // One buffer per reader (a reader is used by one thread); the text is copied out once at the end.
        var length = 0;
        x.Read();
        while (!(x.NodeType == XmlNodeType.EndElement && x.Depth == depth))
        {
            if (x.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                int n;
                while ((n = x.ReadValueChunk(_chunk, length, _chunk.Length - length)) > 0)
                {
                    length += n;
                    if (length == _chunk.Length)
                    {
                        if (_chunk.Length > MaxCellChars)
                            throw Refuse($"有单元格的文字超过 {MaxCellChars:N0} 字（Excel 单元格的上限），文件不是正常的表格，已拒绝");
                        Array.Resize(ref _chunk, _chunk.Length * 2);
                    }
                }
            }
            if (!x.Read()) break;
        }
        x.Read();
        if (length > MaxCellChars) throw Refuse($"有单元格的文字超过 {MaxCellChars:N0} 字（Excel 单元格的上限），文件不是正常的表格，已拒绝");
        return new string(_chunk, 0, length);
    }

    char[] _chunk = new char[256];

    /// <summary>"AB12" → 27; null when absent or malformed.</summary>
    public static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var n = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++) n = n * 26 + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
        return i == 0 || i > 3 ? null : n - 1;
    }

    /// <summary>0 → "A", 27 → "AB".</summary>
    public static string ColumnName(int index)
    {
        var s = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }

    public void Dispose()
    {
        _shared?.Dispose();
        _zip.Dispose();
    }

    /// <summary>Reads at most a fixed number of bytes, then refuses: a zip entry may inflate beyond what its header says.</summary>
    sealed class CappedStream(Stream inner, long cap) : Stream
    {
        long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = inner.Read(buffer);
            }
            catch (InvalidDataException)
            {
                throw Refuse("文件已损坏（压缩数据无法解开）。请在 Excel 中重新保存后再导入");
            }
            _read += n;
            if (_read > cap) throw Refuse("文件解压后的大小与声明不符（疑似压缩炸弹），已拒绝");
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
