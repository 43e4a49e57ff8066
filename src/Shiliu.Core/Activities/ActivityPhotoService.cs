using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Evidence;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Core.Activities;

/// <summary>One photo of an activity with its publication state, as the activity page shows it.</summary>
public sealed record ActivityPhotoRow(Guid EvidenceId, string Title, bool HasThumbnail, string? ConsentNote, string? ConsentBy, DateTime? ConsentUtc,
    bool Publishable, string? PublishedBy, DateTime? PublishedUtc, string? Caption, int Version);

public sealed class RecordPhotoConsent
{
    /// <summary>How the people shown agreed (签字同意书、现场口头同意并录音 …).</summary>
    public string? Note { get; set; }
    public int Version { get; set; }
}

public sealed class SetPhotoPublishable
{
    public bool Publishable { get; set; }
    /// <summary>The caption residents read; the photo's title when empty.</summary>
    public string? Caption { get; set; }
    public int Version { get; set; }
}

/// <summary>
/// Consent and publication of activity photos (创建动态): the community records that the people shown agreed, then marks
/// the photo 可公开; only such photos reach the public page and feed, redrawn without any metadata.
/// </summary>
public sealed class ActivityPhotoService(IDbContextFactory<ShiliuDb> dbs, IFileStore store, PublicPhotoCache redrawn)
{
    /// <summary>Longest side of a photo served to the public (enough for a news page, far below the original).</summary>
    public const int PublicSide = 1280;

    public async Task<IReadOnlyList<ActivityPhotoRow>> ListAsync(Guid activityId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.View, ActivityErrors.Denied, "查看活动照片");
        if (!await db.Activities.AnyAsync(a => a.Id == activityId, ct)) throw new NotFoundInScope("活动");
        var photos = await db.Evidence.AsNoTracking().Where(e => e.ActivityId == activityId && e.DeletedUtc == null && e.Category == EvidenceCategory.Image)
            .OrderBy(e => e.UploadedUtc).Select(e => new { e.Id, e.Title, Thumb = e.ThumbnailKey != null }).ToListAsync(ct);
        var ids = photos.Select(p => p.Id).ToList();
        var consents = await db.ActivityPhotoConsents.AsNoTracking().Where(c => ids.Contains(c.EvidenceId)).ToDictionaryAsync(c => c.EvidenceId, ct);
        // Who recorded and who published, by their display names (an account name is a code).
        var names = await db.DisplayNamesAsync(consents.Values.SelectMany(c => new[] { c.ConsentBy, c.PublishedBy }), ct);
        string? Name(string? user) => user is null ? null : names.GetValueOrDefault(user, user);
        return photos.Select(p => consents.GetValueOrDefault(p.Id) is { } c
            ? new ActivityPhotoRow(p.Id, p.Title, p.Thumb, c.ConsentNote, Name(c.ConsentBy), c.ConsentUtc, c.Publishable, Name(c.PublishedBy), c.PublishedUtc, c.Caption, c.Version)
            : new ActivityPhotoRow(p.Id, p.Title, p.Thumb, null, null, null, false, null, null, null, 0)).ToList();
    }

    /// <summary>Records (or corrects) the consent of the people shown; who and when come from the caller and the clock.</summary>
    public async Task RecordConsentAsync(Guid evidenceId, RecordPhotoConsent req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Manage, ActivityErrors.Denied, "登记照片公开同意");
        var note = Validation.CleanText(req.Note ?? "", "同意情况");
        if (note.Length < 4) throw RuleViolation.ForField(ActivityErrors.PhotoInvalid, "note", "请写明照片中人员如何同意公开（如：参加者现场签字同意，签字表已存档），至少4个字");
        if (note.Length > 200) throw RuleViolation.ForField(ActivityErrors.PhotoInvalid, "note", "同意情况不能超过200字");
        var c = await RowAsync(db, evidenceId, req.Version, ct);
        (c.ConsentNote, c.ConsentBy, c.ConsentUtc) = (note, db.Caller.UserName, db.UtcNow);
        await db.SaveOrConflictAsync(c, ct);
    }

    /// <summary>Withdraws the consent (a person asked to be taken down): the photo stops being public in the same save.</summary>
    public async Task WithdrawConsentAsync(Guid evidenceId, int version, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Manage, ActivityErrors.Denied, "撤回照片公开同意");
        var c = await RowAsync(db, evidenceId, version, ct);
        (c.ConsentNote, c.ConsentBy, c.ConsentUtc) = (null, null, null);
        (c.Publishable, c.PublishedBy, c.PublishedUtc) = (false, null, null);
        await db.SaveOrConflictAsync(c, ct);
    }

    /// <summary>Sets or clears 可公开; setting it needs the consent on record.</summary>
    public async Task SetPublishableAsync(Guid evidenceId, SetPhotoPublishable req, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Caller.Require(EvidencePermissions.Manage, ActivityErrors.Denied, "设置照片可公开");
        var c = await RowAsync(db, evidenceId, req.Version, ct);
        var caption = string.IsNullOrWhiteSpace(req.Caption) ? null : Validation.CleanText(req.Caption, "照片说明");
        if (caption is { Length: > 100 }) throw RuleViolation.ForField(ActivityErrors.PhotoInvalid, "caption", "照片说明不能超过100字");
        if (req.Publishable && c.ConsentUtc is null)
            throw RuleViolation.ForField(ActivityErrors.NoConsent, "publishable", "这张照片还没有登记照片中人员的同意，不能设为可公开；请先登记同意情况");
        c.Caption = caption;
        if (req.Publishable != c.Publishable)
            (c.Publishable, c.PublishedBy, c.PublishedUtc) = req.Publishable ? (true, db.Caller.UserName, db.UtcNow) : (false, (string?)null, (DateTime?)null);
        await db.SaveOrConflictAsync(c, ct);
    }

    /// <summary>
    /// The photo for the public page: only while it is consented, 可公开, not deleted and of the county the public pages
    /// speak for; anything else is the same 404. Redrawn at <see cref="PublicSide"/> with no metadata.
    /// </summary>
    public async Task<PublicPhoto> PublicPhotoAsync(Guid evidenceId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var county = await PublicNewsService.CountyAsync(db, ct) ?? throw new NotFoundInScope("照片");
        // Asked on every request (an indexed lookup), so a photo taken down stops showing at once; only the redrawing is kept.
        var photo = await Published(db, county.Path).Where(x => x.Photo.Id == evidenceId)
            .Select(x => new { x.Photo.StorageKey, x.Photo.FileName }).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("照片");
        // The stored file never changes under its key (one copy per SHA-256), so the key names this redrawing for good.
        var tag = $"\"{photo.StorageKey[..Math.Min(32, photo.StorageKey.Length)]}-{PublicSide}\"";
        var jpeg = await redrawn.GetOrAddAsync(photo.StorageKey, async () =>
        {
            await using var stream = await store.OpenReadAsync(photo.StorageKey, ct);
            return Thumbnails.Redrawn(stream, photo.FileName, PublicSide);
        });
        return new PublicPhoto(jpeg, tag);
    }

    /// <summary>Photos residents may see: consent on record, 可公开, the evidence a live image of the activity, in the county.</summary>
    internal static IQueryable<PublishedPhoto> Published(ShiliuDb db, string countyPath) =>
        db.ActivityPhotoConsents.IgnoreQueryFilters().AsNoTracking().Under(c => c.OrgPath, countyPath)
            .Where(c => c.Publishable && c.ConsentUtc != null && c.PublishedUtc != null)
            .Join(db.Evidence.IgnoreQueryFilters().Where(e => e.DeletedUtc == null && e.Category == EvidenceCategory.Image), c => c.EvidenceId, e => e.Id, (c, e) => new { c, e })
            .Where(x => x.e.ActivityId == x.c.ActivityId)
            .Select(x => new PublishedPhoto { Consent = x.c, Photo = x.e });

    static async Task<ActivityPhotoConsent> RowAsync(ShiliuDb db, Guid evidenceId, int version, CancellationToken ct)
    {
        var e = await db.Evidence.AsNoTracking().Where(x => x.Id == evidenceId && x.DeletedUtc == null)
            .Select(x => new { x.Id, x.ActivityId, x.Category, x.OrgUnitId, x.OrgPath }).SingleOrDefaultAsync(ct) ?? throw new NotFoundInScope("照片");
        if (e.ActivityId is null || e.Category != EvidenceCategory.Image)
            throw new RuleViolation(ActivityErrors.PhotoInvalid, "只有挂在活动下的照片才能登记公开");
        var c = await db.ActivityPhotoConsents.SingleOrDefaultAsync(x => x.EvidenceId == evidenceId, ct);
        if (c is null)
        {
            c = new ActivityPhotoConsent { EvidenceId = e.Id, ActivityId = e.ActivityId.Value, OrgUnitId = e.OrgUnitId, OrgPath = e.OrgPath };
            db.ActivityPhotoConsents.Add(c);
        }
        else db.Entry(c).Property(x => x.Version).OriginalValue = version;
        return c;
    }
}

/// <summary>A published photo as served: the redrawn JPEG and its entity tag (for a browser's revalidation).</summary>
public sealed record PublicPhoto(byte[] Jpeg, string ETag);

/// <summary>
/// Published photos as redrawn for the public (≤ 1280 px, no metadata), kept in memory up to a size: decoding a camera's
/// original takes a tenth of a second or more, and a news page shows a dozen photos to every visitor. Keyed by the stored
/// file (content-addressed), so an entry can only ever be that file's redrawing; whether it may be shown is asked anew.
/// </summary>
public sealed class PublicPhotoCache : IDisposable
{
    /// <summary>Bytes of redrawn photos kept (a 1280-px JPEG is 100–300 KB: a few hundred photos).</summary>
    public const long Budget = 64L << 20;

    readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = Budget });

    public async Task<byte[]> GetOrAddAsync(string storageKey, Func<Task<byte[]>> redraw)
    {
        if (cache.TryGetValue(storageKey, out byte[]? kept) && kept is not null) return kept;
        var jpeg = await redraw();
        cache.Set(storageKey, jpeg, new MemoryCacheEntryOptions { Size = jpeg.Length, SlidingExpiration = TimeSpan.FromHours(6) });
        return jpeg;
    }

    public void Dispose() => cache.Dispose();
}

/// <summary>A published photo with its evidence row (a class, so EF can project the join).</summary>
sealed class PublishedPhoto
{
    public ActivityPhotoConsent Consent { get; set; } = null!;
    public EvidenceItem Photo { get; set; } = null!;
}
