using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Organizations;
using Shiliu.Core.Residents;

namespace Shiliu.Core.Appeals;

/// <summary>What a resident (or staff on their behalf) tells: the same fields on the public page and the staff form.</summary>
public sealed class FileAppeal
{
    public string? Topic { get; set; }
    public string? Text { get; set; }
    /// <summary>The community the appeal is about.</summary>
    public Guid? PlaceUnitId { get; set; }
    public string? Address { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    /// <summary>Staff entry only: 热线 / 窗口 / 走访 (the public page is always 网上).</summary>
    public AppealChannel? Channel { get; set; }
}

/// <summary>The two halves a resident keeps: shown once, the PIN stored only as a slow hash.</summary>
public sealed record AppealReceipt(Guid Id, string Code, string Pin, string UnitName);

/// <summary>A photo as it arrives: the name the browser gave and its bytes.</summary>
public sealed record IncomingPhoto(string? FileName, Stream Content);

/// <summary>Creating an appeal, the same for the public page and staff entry: checks, routing, sealing, code and PIN, photos.</summary>
static class AppealIntake
{
    public const int MaxPhotos = 3;
    const string CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static async Task<(Appeal Appeal, string Pin, string UnitName)> CreateAsync(ShiliuDb db, PersonalData pii, AppealOptions options, FileAppeal req,
        AppealChannel channel, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var topic = AppealNames.Topic(req.Topic);
        if (topic is null) errors["topic"] = ["请选择诉求类别"];
        string? text = null, address = null, name = null, phone = null;
        void Field(string key, Func<string?> read)
        {
            try { read(); }
            catch (RuleViolation v) { errors[key] = [v.Message]; }
        }
        Field("text", () => text = Clean(req.Text, "诉求内容", 2000, required: true, multiline: true));
        Field("address", () => address = Clean(req.Address, "详细地址", 200));
        Field("name", () => name = Clean(req.Name, "姓名", 30));
        if (!string.IsNullOrWhiteSpace(req.Phone))
        {
            if (Phone.TryNormalize(req.Phone, out var p, out var perr)) phone = p;
            else errors["phone"] = [perr!];
        }
        OrgUnit? place = null;
        if (req.PlaceUnitId is { } pid)
            // Residents choose any community of the county: the unit list is public (the service windows page shows it).
            place = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(o => o.Id == pid && !o.IsDisabled && o.Level == OrgLevel.Community, ct);
        if (place is null) errors["placeUnitId"] = ["请选择诉求所在的乡镇（街道）和社区"];
        if (errors.Count > 0)
            throw new RuleViolation(AppealErrors.Invalid, string.Join("；", errors.Values.SelectMany(v => v))) { Fields = errors };

        var pin = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var a = new Appeal
        {
            OrgUnitId = place!.Id, OrgPath = place.Path, PlaceUnitId = place.Id, Code = await NewCodeAsync(db, ct), PinHash = HashPin(pin, options.PinIterations),
            Channel = channel, Topic = topic!.Key, Text = text!, Address = address, Status = AppealStatus.Pending,
            CreatedBy = db.Caller.UserName, CreatedUtc = db.UtcNow,
        };
        if (name is not null) (a.NameCipher, a.NameMasked) = (pii.Seal(name), PersonalData.MaskName(name));
        if (phone is not null) (a.PhoneCipher, a.PhoneHash, a.PhoneMasked) = (pii.Seal(phone), pii.Hash(phone), Phone.Mask(phone));
        db.Appeals.Add(a);
        return (a, pin, place.Name);
    }

    static string? Clean(string? value, string label, int max, bool required = false, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? throw new RuleViolation(AppealErrors.Invalid, $"请填写{label}") : null;
        var v = multiline ? EvidenceService.CleanMultiline(value, label) : Validation.CleanText(value, label);
        if (v.Length > max) throw new RuleViolation(AppealErrors.Invalid, $"{label}不能超过{max}字");
        return v;
    }

    /// <summary>"张*" whatever the length (SECURITY.md #36), so the mask does not tell how long the name is either.</summary>
    /// The first character is taken whole: a name in a CJK extension plane starts with a surrogate pair.

    static async Task<string> NewCodeAsync(ShiliuDb db, CancellationToken ct)
    {
        while (true)
        {
            // 10 symbols of 31: about 50 bits, drawn at random, so a code cannot be guessed from another one.
            var code = "SQ" + string.Concat(Enumerable.Range(0, 10).Select(_ => CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)]));
            if (!await db.Appeals.IgnoreQueryFilters().AnyAsync(a => a.Code == code, ct)) return code;
        }
    }

    /// <summary>Upper case, without spaces and dashes, as residents may copy it.</summary>
    public static string NormalizeCode(string? code) =>
        new string((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).ToArray());

    public static string HashPin(string pin, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Always does the full work, also for a missing appeal (<paramref name="stored"/> null), so both take as long.</summary>
    public static bool VerifyPin(string? pin, string? stored, int iterations)
    {
        var parts = (stored ?? $"pbkdf2${iterations}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").Split('$');
        var n = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin ?? ""), Convert.FromBase64String(parts[2]), n, HashAlgorithmName.SHA256, 32);
        return CryptographicOperations.FixedTimeEquals(actual, Convert.FromBase64String(parts[3])) && stored is not null;
    }

    /// <summary>
    /// Stores up to three photos with the evidence module's checks: type by content (photos only), size limit, decodable,
    /// not a pixel bomb, location and device metadata stripped; stored outside the web root under the content hash.
    /// </summary>
    public static async Task StorePhotosAsync(ShiliuDb db, IFileStore store, EvidenceOptions limits, Appeal a, IReadOnlyList<IncomingPhoto> photos, CancellationToken ct)
    {
        if (photos.Count > MaxPhotos) throw RuleViolation.ForField(AppealErrors.Invalid, "photos", $"最多上传{MaxPhotos}张照片");
        foreach (var photo in photos)
        {
            var shown = string.IsNullOrWhiteSpace(photo.FileName) ? "照片" : FileNames.Sanitize(photo.FileName, "x")[..^2];
            var staged = Path.Combine(store.StagingDirectory, Guid.NewGuid().ToString("N"));
            string? thumb = null;
            try
            {
                var max = limits.LimitOf(MediaClass.Image);
                await using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write))
                {
                    var buffer = new byte[81920];
                    long size = 0;
                    int n;
                    while ((n = await photo.Content.ReadAsync(buffer, ct)) > 0)
                    {
                        size += n;
                        if (size > max)
                            throw RuleViolation.ForField(EvidenceErrors.TooLarge, "photos", $"照片“{shown}”超过 {max / 1024 / 1024} MB，请压缩后上传");
                        await file.WriteAsync(buffer.AsMemory(0, n), ct);
                    }
                }
                FileKind kind;
                try { kind = FileSniffer.Detect(staged, shown); }
                catch (RuleViolation v) { throw RuleViolation.ForField(v.Error, "photos", v.Message); }
                if (kind.Class != MediaClass.Image)
                    throw RuleViolation.ForField(EvidenceErrors.Type, "photos", $"“{shown}”不是照片：只能上传 jpg、png、gif、webp 格式的照片");
                var clean = FileNames.Sanitize(photo.FileName, kind.Format);
                try
                {
                    var t = Thumbnails.Make(staged, clean, store.StagingDirectory);
                    thumb = t.ThumbnailPath;
                    ImageMetadata.Strip(staged, kind.Format, clean, t.Orientation);
                }
                catch (RuleViolation v) { throw RuleViolation.ForField(v.Error, "photos", v.Message); }
                string sha;
                await using (var read = File.OpenRead(staged)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
                var key = $"appeals/{sha[..2]}/{sha}";
                await store.PutFileAsync(key, staged, kind.ContentType, ct);
                db.AppealPhotos.Add(new AppealPhoto
                {
                    AppealId = a.Id, FileName = clean, ContentType = kind.ContentType, Size = new FileInfo(staged).Length, Sha256 = sha, StorageKey = key,
                    CreatedUtc = db.UtcNow,
                });
            }
            finally
            {
                File.Delete(staged);
                if (thumb is not null) File.Delete(thumb);
            }
        }
    }
}
