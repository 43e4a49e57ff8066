using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Screens;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The module's tables on the one context (<c>db.DisplayScreens</c>).</summary>
public static class ScreenTables
{
    extension(ShiliuDb db)
    {
        public DbSet<DisplayScreen> DisplayScreens => db.Set<DisplayScreen>();
    }
}
