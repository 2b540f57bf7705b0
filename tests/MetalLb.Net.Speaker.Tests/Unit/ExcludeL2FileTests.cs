using MetalLb.Net.Speaker;

namespace MetalLb.Net.Speaker.Tests.Unit;

public class ExcludeL2FileTests
{
    [Fact]
    public void Reads_upstreams_file_shape()
    {
        var patterns = ExcludeL2File.Parse("announcedInterfacesToExclude:\n- ^docker.*\n- ^eth9$\n", "excludel2.yaml");
        Assert.Equal(["^docker.*", "^eth9$"], patterns);
    }

    [Fact]
    public void A_missing_file_gives_the_published_list_with_lxc()
    {
        var patterns = ExcludeL2File.Load("/nonexistent/excludel2.yaml");
        Assert.Contains("^lxc.*", patterns);
        Assert.Contains("^veth.*", patterns);
    }

    [Fact]
    public void A_bad_regular_expression_names_file_line_and_pattern()
    {
        var e = Assert.Throws<FormatException>(() =>
            ExcludeL2File.Parse("announcedInterfacesToExclude:\n- ^ok$\n- '[unclosed'\n", "/etc/metallb/excludel2.yaml"));
        Assert.Contains("/etc/metallb/excludel2.yaml:3", e.Message, StringComparison.Ordinal);
        Assert.Contains("[unclosed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_in_the_wrong_place_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => ExcludeL2File.Parse("announcedInterfacesToExclude: eth0\n", "f.yaml"));
        Assert.Contains("must be a list", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_is_a_format_error_with_a_line()
    {
        var e = Assert.Throws<FormatException>(() => ExcludeL2File.Parse("a: [b\n", "f.yaml"));
        Assert.StartsWith("f.yaml:", e.Message, StringComparison.Ordinal);
    }
}
