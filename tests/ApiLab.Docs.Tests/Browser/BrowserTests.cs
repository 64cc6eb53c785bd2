namespace ApiLab.Docs.Tests.Browser;

/// <summary>
/// The generated HTML site in a real browser: headless Chromium loads the index and a debate page over HTTP,
/// renders them to PNG, and the test checks the console stayed silent (no 404, no CSP violation, no script error)
/// and that the table and the charts are in the rendered DOM. A control page with a broken stylesheet and a console
/// error proves the console check can fail.
/// </summary>
public sealed class BrowserTests
{
    [Fact]
    public void The_index_and_a_debate_page_load_cleanly_with_their_table_and_charts()
    {
        var (browser, reason) = Chromium.Find();
        if (browser is null)
        {
            Assert.Skip(reason);
        }

        var dir = Directory.CreateTempSubdirectory("apilab-site-");
        try
        {
            SiteWriter.Write(dir.FullName, DocsSite.Render());
            var site = Path.Combine(dir.FullName, DocsRenderer.SiteFolder);
            File.WriteAllText(Path.Combine(site, "control.html"),
                "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"nope.css\"></head><body><script>console.error('control')</script></body></html>");
            using var server = new StaticServer(site);
            var profile = Path.Combine(dir.FullName, "profile");

            var control = Chromium.Load(browser, server.Url("control.html"), profile + "-control");
            Assert.NotEmpty(control.Console);

            var index = Chromium.Load(browser, server.Url("index.html"), profile + "-index");
            Assert.Empty(index.Console);
            Assert.Contains("<table>", index.Dom, StringComparison.Ordinal);
            Assert.Contains("remote-madvise", index.Dom, StringComparison.Ordinal);

            var debate = Chromium.Load(browser, server.Url("debates/remote-madvise.html"), profile + "-debate");
            Assert.Empty(debate.Console);
            Assert.Contains("class=\"comparison\"", debate.Dom, StringComparison.Ordinal);
            Assert.Contains("class=\"chart\"", debate.Dom, StringComparison.Ordinal);
            Assert.Contains("<polyline", debate.Dom, StringComparison.Ordinal);

            foreach (var page in (string[])["index.html", "debates/remote-madvise.html"])
            {
                var png = Path.Combine(dir.FullName, Path.GetFileNameWithoutExtension(page) + ".png");
                Chromium.Load(browser, server.Url(page), profile + "-shot-" + Path.GetFileNameWithoutExtension(page), png);
                var bytes = File.ReadAllBytes(png);
                Assert.True(bytes.Length > 10_000, $"{page} rendered to a {bytes.Length}-byte PNG");
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
