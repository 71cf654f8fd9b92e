#pragma once

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

struct PlanDocument;

/**
 * The migration plan as HTML in QTextDocument's rich-text subset: the text of the plan PDF.
 * Every section starts with a heading; a part with nothing in it says so in a sentence. The
 * Gantt chart is not HTML: build() leaves a marker paragraph per slice of rows, which the PDF
 * writer replaces with a painted object.
 *
 * Qt splits a table row over two pages when its first line fits on the first; the writer
 * prevents that by asking for page breaks before such rows (RowBreak) and building again.
 */
class PlanHtml
{
    Q_DECLARE_TR_FUNCTIONS(PlanHtml)

public:
    /// A slice of the Gantt chart's rows: the chart breaks across pages between slices.
    struct Slice
    {
        int first = 0;
        int count = 0;
    };
    /// A body row (counted from 0, without the header) of the table-th table that starts a page.
    struct RowBreak
    {
        int table = 0;
        int row = 0;
        bool operator==(const RowBreak &) const = default;
    };
    /// One <table> element written: the table it is (a part of) and its first body row.
    struct TablePart
    {
        int table = 0;
        int firstRow = 0;
    };

    /// The whole plan, or the checklist alone (a title block, then the checklist's section).
    enum class Content { Plan, Checklist };

    explicit PlanHtml(const PlanDocument &doc, const QList<Slice> &ganttSlices = {},
                      const QList<RowBreak> &breaks = {}, Content content = Content::Plan);

    QString build();
    /// The <table> elements build() wrote, in document order.
    const QList<TablePart> &parts() const { return m_parts; }

    /// The text of the paragraph that stands for slice i until the chart is put in its place.
    static QString marker(int slice);
    static QString styleSheet();

private:
    /// Cells are HTML already (escape user text with esc()); align holds one of "left",
    /// "right", "center" per column; widths are percentages (0: let the layout decide). A row
    /// of a single cell spans every column (a group heading).
    struct Table
    {
        QStringList headers;
        QList<int> widths;
        QStringList align;
        QList<QStringList> rows;
        QStringList
            rowStyles; ///< per row, a style for every cell ("padding-top: ..."); may be short
        QList<QStringList> cellStyles; ///< per row and column, added to the row's; may be short
        bool grid = true;
        int width = 100; ///< of the page width: narrow tables of a few figures read better
    };
    QString table(const Table &t);

    static QString esc(const QString &text);       ///< escaped, line breaks kept
    static QString breakable(const QString &text); ///< escaped, long words (URLs) may wrap
    static QString number(qint64 n);
    static QString percent(qint64 part, qint64 whole);
    static QString date(const QDate &d);
    static QString muted(const QString &html);
    static QString paragraph(const QString &text); ///< <p> with the text escaped
    /// "No platform has been chosen yet." and the like, for a part that is empty.
    static QString notYet(const QString &sentence);
    /// A section's heading, numbered: "3  Platform comparison" (0: no number); newPage starts a page with it.
    static QString section(int number, const QString &title, bool newPage = false);
    static QString subsection(const QString &title);

    QString cover();
    QString checklistTitle();
    QString objectives(int number);
    QString assessment(int number); // planhtmlassessment.cpp
    QString platforms(int number);
    QString timeline(int number);
    QString stages(int number);
    QString reviews(int number); // planhtmlreviews.cpp
    QString risks(int number);
    QString checklist(int number);
    QString signOff(int number);

    const PlanDocument &m_doc;
    QList<Slice> m_slices;
    QList<RowBreak> m_breaks;
    Content m_content = Content::Plan;
    QList<TablePart> m_parts;
    int m_tables = 0;
};
