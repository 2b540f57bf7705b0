namespace MetalLb.Net.KubeEmulator.Schema;

/// <summary>Splits a CEL rule into identifiers, numbers, quoted strings and operators.</summary>
internal static class CelTokenizer
{
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            int start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                    i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                    i++;
            }
            else if (c is '"' or '\'')
            {
                i = text.IndexOf(c, i + 1);
                if (i < 0)
                    throw new CelException("unterminated string in rule");
                i++;
            }
            else if (i + 1 < text.Length && text.Substring(i, 2) is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                i += 2;
            else
                i++;
            tokens.Add(text[start..i]);
        }
        return tokens;
    }
}
