using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Dictionaries;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.DictionaryItems</c>), declared here rather than in ShiliuDb.</summary>
public static class DictionaryTables
{
    extension(ShiliuDb db)
    {
        public DbSet<DictionaryItem> DictionaryItems => db.Set<DictionaryItem>();
    }
}
