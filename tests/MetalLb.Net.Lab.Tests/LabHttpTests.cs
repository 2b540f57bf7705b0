using System.Text;
using MetalLb.Net.Lab;

namespace MetalLb.Net.Lab.Tests;

/// <summary>The lab's HTTP answer: what NodeBackend writes is what the failover and soak probes read.</summary>
public sealed class LabHttpTests
{
    [Theory]
    [InlineData("node1")]
    [InlineData("mlb-dedupe-node-2")]
    public void The_probe_reads_the_node_the_backend_names(string node) =>
        Assert.Equal(node, LabHttp.NodeFromAnswer(Encoding.ASCII.GetString(LabHttp.NodeAnswer(node))));

    [Theory]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 6\r\n\r\nnode1\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n")]
    [InlineData("")]
    public void Anything_but_a_whole_200_is_no_answer(string answer) =>
        Assert.Null(LabHttp.NodeFromAnswer(answer));
}
