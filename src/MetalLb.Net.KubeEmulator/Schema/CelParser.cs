using System.Globalization;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Schema;

/// <summary>Recursive descent over the token list; each rule compiles to closures once.</summary>
internal sealed class CelParser(string text)
{
    private readonly List<string> _tokens = CelTokenizer.Tokenize(text);
    private int _at;

    private string Peek => _at < _tokens.Count ? _tokens[_at] : "";

    public Func<object?, object?, object?> ParseAll()
    {
        var e = Or();
        if (_at != _tokens.Count)
            throw new CelException($"unexpected \"{Peek}\" in rule");
        return e;
    }

    private string Next() =>
        _at < _tokens.Count ? _tokens[_at++] : throw new CelException("unexpected end of rule");

    private bool Take(string token)
    {
        if (Peek != token)
            return false;
        _at++;
        return true;
    }

    private void Expect(string token)
    {
        if (!Take(token))
            throw new CelException($"expected \"{token}\" but found \"{Peek}\"");
    }

    private Func<object?, object?, object?> Or()
    {
        var left = And();
        while (Take("||"))
        {
            var (l, r) = (left, And());
            left = (s, o) => Bool(l(s, o)) || Bool(r(s, o));
        }
        return left;
    }

    private Func<object?, object?, object?> And()
    {
        var left = Comparison();
        while (Take("&&"))
        {
            var (l, r) = (left, Comparison());
            left = (s, o) => Bool(l(s, o)) && Bool(r(s, o));
        }
        return left;
    }

    private Func<object?, object?, object?> Comparison()
    {
        var left = Additive();
        foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
        {
            if (!Take(op))
                continue;
            var (l, r) = (left, Additive());
            return op switch
            {
                "==" => (s, o) => CelValues.Equal(l(s, o), r(s, o)),
                "!=" => (s, o) => !CelValues.Equal(l(s, o), r(s, o)),
                "<" => (s, o) => CelValues.Compare(l(s, o), r(s, o)) < 0,
                "<=" => (s, o) => CelValues.Compare(l(s, o), r(s, o)) <= 0,
                ">" => (s, o) => CelValues.Compare(l(s, o), r(s, o)) > 0,
                _ => (s, o) => CelValues.Compare(l(s, o), r(s, o)) >= 0,
            };
        }
        return left;
    }

    private Func<object?, object?, object?> Additive()
    {
        var left = Multiplicative();
        while (Peek is "+" or "-")
        {
            var op = Next();
            var (l, r) = (left, Multiplicative());
            left = (s, o) => Arith(op, l(s, o), r(s, o));
        }
        return left;
    }

    private Func<object?, object?, object?> Multiplicative()
    {
        var left = Unary();
        while (Peek is "*" or "/" or "%")
        {
            var op = Next();
            var (l, r) = (left, Unary());
            left = (s, o) => Arith(op, l(s, o), r(s, o));
        }
        return left;
    }

    private Func<object?, object?, object?> Unary()
    {
        if (Take("!"))
        {
            var inner = Unary();
            return (s, o) => !Bool(inner(s, o));
        }
        if (Take("-"))
        {
            var inner = Unary();
            return (s, o) => Arith("-", 0L, inner(s, o));
        }
        return Postfix(Primary());
    }

    private Func<object?, object?, object?> Postfix(Func<object?, object?, object?> target)
    {
        while (Take("."))
        {
            var name = Next();
            var t = target;
            if (Take("("))
            {
                Expect(")");
                target = name switch
                {
                    "getSeconds" => (s, o) => (long)Duration(t(s, o)).TotalSeconds,
                    "getMilliseconds" => (s, o) => (long)Duration(t(s, o)).TotalMilliseconds,
                    "getMinutes" => (s, o) => (long)Duration(t(s, o)).TotalMinutes,
                    "getHours" => (s, o) => (long)Duration(t(s, o)).TotalHours,
                    _ => throw new CelException($"unsupported method {name}()"),
                };
            }
            else
                target = (s, o) => Field(t(s, o), name, mustExist: true);
        }
        return target;
    }

    private Func<object?, object?, object?> Primary()
    {
        var token = Next();
        if (token == "(")
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        if (token.StartsWith('"') || token.StartsWith('\''))
        {
            var literal = token[1..^1];
            return (_, _) => literal;
        }
        if (char.IsAsciiDigit(token[0]))
        {
            if (long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                return (_, _) => l;
            var d = double.Parse(token, CultureInfo.InvariantCulture);
            return (_, _) => d;
        }
        switch (token)
        {
            case "true": return (_, _) => true;
            case "false": return (_, _) => false;
            case "null": return (_, _) => null;
            case "self": return (s, _) => s;
            case "oldSelf": return (_, o) => o;
            case "has":
            {
                // has(x.f) is a macro: it asks whether f is present, never fails on a missing f.
                Expect("(");
                var start = _at;
                var baseExpr = Primary();
                string? last = null;
                while (Take("."))
                {
                    if (last is not null)
                    {
                        var (b, name) = (baseExpr, last);
                        baseExpr = (s, o) => Field(b(s, o), name, mustExist: true);
                    }
                    last = Next();
                }
                Expect(")");
                if (last is null)
                    throw new CelException($"has() needs a field selection at \"{_tokens[start]}\"");
                var field = last;
                var owner = baseExpr;
                return (s, o) => owner(s, o) is JsonObject m && m.ContainsKey(field);
            }
            case "size":
            {
                Expect("(");
                var arg = Or();
                Expect(")");
                return (s, o) => arg(s, o) switch
                {
                    string str => (long)str.Length,
                    JsonArray a => (long)a.Count,
                    JsonObject m => (long)m.Count,
                    var v => throw new CelException($"no such overload: size({CelValues.Type(v)})"),
                };
            }
            case "duration":
            {
                Expect("(");
                var arg = Or();
                Expect(")");
                return (s, o) => arg(s, o) is string str ? CelValues.ParseDuration(str) : throw new CelException("duration() needs a string");
            }
            default:
                throw new CelException($"unsupported identifier \"{token}\"");
        }
    }

    private static object? Field(object? target, string name, bool mustExist) =>
        target is JsonObject m
            ? m.TryGetPropertyValue(name, out var v) ? CelValues.FromJson(v) : mustExist ? throw new CelException($"no such key: {name}") : null
            : throw new CelException($"no such key: {name}");

    private static TimeSpan Duration(object? v) => v is TimeSpan t ? t : throw new CelException($"no such overload for {CelValues.Type(v)}");

    private static bool Bool(object? v) => v is bool b ? b : throw new CelException($"no such overload: {CelValues.Type(v)} is not bool");

    private static object Arith(string op, object? a, object? b) => (a, b) switch
    {
        (long x, long y) => op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => y == 0 ? throw new CelException("division by zero") : x / y,
            _ => y == 0 ? throw new CelException("modulus by zero") : x % y,
        },
        (string x, string y) when op == "+" => x + y,
        _ => throw new CelException($"no such overload: {CelValues.Type(a)} {op} {CelValues.Type(b)}"),
    };
}
