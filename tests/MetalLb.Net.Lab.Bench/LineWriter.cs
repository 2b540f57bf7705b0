using System.Text;

namespace MetalLb.Net.Lab.Bench;

/// <summary>A TextWriter that hands each complete line to a callback (the lab's progress, read as it is written).</summary>
internal sealed class LineWriter(Action<string> line) : TextWriter
{
    private readonly StringBuilder _pending = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        string? done = null;
        lock (_pending)
        {
            if (value == '\n')
            {
                done = _pending.ToString().TrimEnd('\r');
                _pending.Clear();
            }
            else
            {
                _pending.Append(value);
            }
        }
        if (done is not null)
            line(done);
    }
}
