package dev.recsys.models.plots;

import dev.recsys.models.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A small HTML document built section by section: headings, paragraphs, tables and images (PNG
 * files next to the report, referenced relatively). Text is escaped. Not thread-safe.
 */
public final class HtmlReport {

  private final StringBuilder body = new StringBuilder();
  private final String title;

  public HtmlReport(String title) {
    this.title = title;
    body.append("<h1>").append(escape(title)).append("</h1>\n");
  }

  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** An image file in the report's folder. */
  public HtmlReport image(Path png, String alt) {
    body.append("<img src=\"").append(escape(png.getFileName().toString())).append("\" alt=\"").append(escape(alt)).append("\">\n");
    return this;
  }

  public HtmlReport table(List<String> headers, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    for (String h : headers) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (String cell : row) {
        body.append("<td>").append(escape(cell)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  public String render() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
        + "<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
        + "th{background:#f3f3f3}img{max-width:100%;border:1px solid #eee;margin:0.5em 0}</style></head>\n<body>\n"
        + body + "</body></html>\n";
  }

  public void write(Path file) throws IOException {
    AtomicFiles.write(file, render().getBytes(StandardCharsets.UTF_8));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
