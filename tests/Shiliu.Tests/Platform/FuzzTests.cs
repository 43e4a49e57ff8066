using Shiliu.Core.Common;
using Shiliu.Core.Residents;
using Shiliu.Testing;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>
/// SECURITY.md #44 (fuzz): the parsers that read what people upload or type meet thousands of damaged inputs, made from
/// real files by a seeded generator (so a failure names the case that reproduces it). Every one must end in a Chinese
/// refusal or a clean read; any other exception would reach a clerk as a 500.
/// </summary>
public sealed class FuzzTests
{
    const int Cases = 3000;

    [Fact]
    public void Damaged_workbooks_are_read_or_refused_in_chinese_and_never_throw_anything_else()
    {
        using var template = new MemoryStream();
        ResidentWorkbooks.Write(template, 40, bad: 5, seed: 7);
        var seeds = new[] { template.ToArray(), Evidence.TestFiles.HandWorkbook("""<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>12</v></c></row></sheetData>""",
            """<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si></sst>""").ToArray() };
        var failures = new List<string>();
        var (read, refused) = (0, 0);
        for (var i = 0; i < Cases; i++)
        {
            var random = new Random(i);
            var bytes = Mutate(seeds[i % seeds.Length], random);
            try
            {
                using var reader = XlsxReader.Open(new MemoryStream(bytes));
                foreach (var row in reader.Rows())
                    foreach (var cell in row.Cells.Values) _ = cell.Text.Length;
                read++;
            }
            catch (RuleViolation v)
            {
                Assert.Equal(CommonErrors.Spreadsheet, v.Code);
                Assert.Matches("[\u4e00-\u9fff]", v.Message);
                refused++;
            }
            catch (Exception e)
            {
                failures.Add($"case {i}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        // Both outcomes occur: the damage is neither always fatal nor always harmless.
        Assert.True(read > 0 && refused > 0, $"read {read}, refused {refused}");
    }

    [Fact]
    public void Id_number_parsing_answers_every_string_with_a_verdict_and_a_reason()
    {
        const string alphabet = "0123456789Xx xX０１２３４５６７８９-\u202e\0𠮷";
        var valid = Ids.Next();
        for (var i = 0; i < 100_000; i++)
        {
            var random = new Random(i);
            var text = random.Next(3) switch
            {
                // Near misses of a real number are the interesting part of the space.
                0 => string.Create(valid.Length, random, (span, r) =>
                {
                    valid.AsSpan().CopyTo(span);
                    span[r.Next(span.Length)] = alphabet[r.Next(alphabet.Length)];
                }),
                1 => new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()),
                _ => new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0xD800)).ToArray()),
            };
            var ok = IdNumber.TryParse(text, out var parsed, out var error);
            Assert.True(ok ? parsed is not null && error is null : parsed is null && !string.IsNullOrEmpty(error), $"case {i}: {text}");
        }
    }

    /// <summary>One of: flipped bytes, a cut-off file, a zeroed run, a run copied elsewhere.</summary>
    static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = (byte[])source.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var k = random.Next(1, 9); k > 0; k--) bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
            {
                var at = random.Next(bytes.Length);
                Array.Clear(bytes, at, Math.Min(bytes.Length - at, random.Next(1, 64)));
                return bytes;
            }
            default:
            {
                var from = random.Next(bytes.Length);
                var to = random.Next(bytes.Length);
                var n = Math.Min(random.Next(1, 128), Math.Min(bytes.Length - from, bytes.Length - to));
                Array.Copy(source, from, bytes, to, n);
                return bytes;
            }
        }
    }
}
