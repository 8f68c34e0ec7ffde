using OpenGov.Dialogue.Analysis.Data;

namespace OpenGov.Dialogue.Analysis.Tests.Data;

[Trait("Category", "unit")]
public sealed class CsvTableTests
{
    [Fact]
    public void Reads_quoted_fields_with_separators_quotes_and_line_breaks()
    {
        var csv = "id,text,label\r\n1,\"jalan, rusak\",a\r\n2,\"kata \"\"gak\"\"\nbaris dua\",b\n3,plain,c";
        var table = CsvTable.Parse(new StringReader(csv));
        Assert.Equal(["id", "text", "label"], table.Header);
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal("jalan, rusak", table.Rows[0][1]);
        Assert.Equal("kata \"gak\"\nbaris dua", table.Rows[1][1]);
        Assert.Equal("c", table.Rows[2][2]);
    }

    [Fact]
    public void Unknown_column_error_names_the_columns_that_exist()
    {
        var table = CsvTable.Parse(new StringReader("id,text\n1,a\n"), "comments.csv");
        var error = Assert.Throws<InvalidDataException>(() => table.Column("tweet"));
        Assert.Equal("comments.csv: no column 'tweet' (columns: id, text)", error.Message);
    }

    [Fact]
    public void Unclosed_quote_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvTable.Parse(new StringReader("id,text\n1,\"never closed\n")));
        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public void Missing_file_is_a_clear_error() =>
        Assert.Throws<FileNotFoundException>(() => CsvTable.Load("/nonexistent/file.csv"));
}
