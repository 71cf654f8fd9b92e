#include "reports/planlayout.h"

#include "reports/gantttextobject.h"
#include "reports/plandocument.h"

#include <QAbstractTextDocumentLayout>
#include <QPageLayout>
#include <QPagedPaintDevice>
#include <QPainter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextFrame>
#include <QTextTable>

#include <cmath>
#include <limits>

namespace {

constexpr qreal kUnitsPerInch = 96;
constexpr qreal kKeepWithHeading = 90; // units of room a heading needs below it on its page
constexpr qreal kTimelineIntro = 130;  // units the timeline's heading and introduction take
constexpr int kMaxPasses = 60;         // layouts, one per row that must start a page

QFont documentFont()
{
    // DejaVu Sans: found through fontconfig on every Debian desktop and embedded by QPdfWriter.
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setStyleHint(QFont::SansSerif);
    font.setPointSizeF(9);
    return font;
}

GanttStyle ganttStyle()
{
    GanttStyle style;
    style.font = documentFont();
    return style;
}

/**
 * The layout multiplies frame margins by the ratio of the device's resolution to the screen's
 * (QTextDocument takes them for screen pixels), and that ratio depends on the session: measure it.
 */
qreal frameMarginScale(const QTextDocument &like)
{
    QTextDocument probe;
    probe.documentLayout()->setPaintDevice(like.documentLayout()->paintDevice());
    probe.setPageSize(like.pageSize());
    probe.setPlainText(QStringLiteral("x"));
    QTextFrameFormat frame = probe.rootFrame()->frameFormat();
    frame.setMargin(0);
    frame.setPadding(0);
    frame.setBorder(0);
    frame.setLeftMargin(100);
    probe.rootFrame()->setFrameFormat(frame);
    const qreal left = probe.documentLayout()->blockBoundingRect(probe.begin()).left();
    return left > 0 ? left / 100 : 1;
}

/// The top of a row's first line and the bottom of its last, over all its cells.
struct RowExtent
{
    qreal top = 0;
    qreal bottom = 0;
};

RowExtent rowExtent(const QTextDocument &doc, QTextTable *table, int row)
{
    RowExtent e{std::numeric_limits<qreal>::max(), std::numeric_limits<qreal>::lowest()};
    for (int c = 0; c < table->columns(); ++c) {
        const QTextTableCell cell = table->cellAt(row, c);
        if (cell.row() != row || cell.column() != c)
            continue; // spanned
        for (auto it = cell.begin(); !it.atEnd(); ++it) {
            const QTextBlock b = it.currentBlock();
            if (!b.isValid())
                continue;
            const QRectF r = doc.documentLayout()->blockBoundingRect(b);
            e.top = std::min(e.top, r.top());
            e.bottom = std::max(e.bottom, r.bottom());
        }
    }
    return e;
}

} // namespace

PlanLayout::PlanLayout(const PlanDocument &plan, QPagedPaintDevice &device,
                       const QMarginsF &marginsMm, PlanHtml::Content content)
    : m_chart(plan.timeline, ganttStyle())
{
    const int dpi = device.logicalDpiX();
    const qreal dotsPerMm = dpi / 25.4;
    m_sheet = device.pageLayout().fullRectPixels(dpi);
    m_body = m_sheet.adjusted(marginsMm.left() * dotsPerMm, marginsMm.top() * dotsPerMm,
                              -marginsMm.right() * dotsPerMm, -marginsMm.bottom() * dotsPerMm);
    m_unit = dpi / kUnitsPerInch;

    // The document's pages are whole sheets and its root frame's margins the page margins, so
    // that painting a page is painting a sheet.
    m_doc.documentLayout()->setPaintDevice(&device);
    m_doc.setDefaultFont(documentFont());
    m_doc.setDefaultStyleSheet(PlanHtml::styleSheet());
    m_doc.setPageSize(m_sheet.size());

    const qreal chartWidth = std::floor(m_body.width() / m_unit) - 1;
    if (m_chart.rowCount() > 0 && content == PlanHtml::Content::Plan) {
        // Slices that fill a page each, the first under the section's heading and introduction.
        const qreal page = m_body.height() / m_unit - 10 - m_chart.headerHeight()
                           - m_chart.legendHeight(chartWidth);
        for (int first = 0; first < m_chart.rowCount();) {
            const qreal room = first == 0 ? page - kTimelineIntro : page;
            const int rows = std::min(std::max(1, int(room / m_chart.rowHeight())),
                                      m_chart.rowCount() - first);
            m_slices.append({first, rows});
            first += rows;
        }
    }
    m_ganttObject = std::make_unique<GanttTextObject>(m_chart, m_unit, chartWidth);
    m_doc.documentLayout()->registerHandler(GanttTextObject::Type, m_ganttObject.get());

    // Qt splits a table row over two pages when its first line fits on the first. Each pass
    // finds the first row that was split and asks PlanHtml for a page break before it.
    QList<PlanHtml::RowBreak> breaks;
    for (int pass = 0; pass < kMaxPasses; ++pass) {
        PlanHtml html(plan, m_slices, breaks, content);
        m_doc.setHtml(html.build());
        setMargins(); // after setHtml(), which resets the root frame
        placeGanttSlices();
        keepHeadingsWithText();
        const std::optional<PlanHtml::RowBreak> split = firstSplitRow(html.parts(), breaks);
        if (!split)
            break;
        breaks.append(*split);
    }
    splitBlocksAtPageBreaks();
}

PlanLayout::~PlanLayout() = default;

void PlanLayout::setMargins()
{
    const qreal scale = frameMarginScale(m_doc);
    QTextFrameFormat frame = m_doc.rootFrame()->frameFormat();
    frame.setLeftMargin((m_body.left() - m_sheet.left()) / scale);
    frame.setTopMargin((m_body.top() - m_sheet.top()) / scale);
    frame.setRightMargin((m_sheet.right() - m_body.right()) / scale);
    frame.setBottomMargin((m_sheet.bottom() - m_body.bottom()) / scale);
    frame.setPadding(0);
    frame.setBorder(0);
    m_doc.rootFrame()->setFrameFormat(frame);
}

void PlanLayout::relayout()
{
    // After an edit, Qt 6.4 lays out again only from the edit on, and then misses blocks that
    // follow a table running over a page break: they are not drawn. Start from the top.
    m_doc.markContentsDirty(0, m_doc.characterCount());
}

int PlanLayout::pageOf(qreal y) const
{
    return int(y / m_sheet.height());
}

void PlanLayout::placeGanttSlices()
{
    for (qsizetype i = 0; i < m_slices.size(); ++i) {
        QTextCursor c = m_doc.find(PlanHtml::marker(int(i)));
        if (c.isNull())
            continue;
        c.insertText(QString(QChar::ObjectReplacementCharacter),
                     GanttTextObject::format(m_slices[i].first, m_slices[i].count));
    }
    relayout();
}

void PlanLayout::keepHeadingsWithText()
{
    // A heading needs some room below it, and what follows it up to the first line of a table
    // on the same page; otherwise it starts the next page. Moving one moves only what follows,
    // so one pass from the top suffices.
    QAbstractTextDocumentLayout *layout = m_doc.documentLayout();
    const qreal bottomMargin = m_sheet.bottom() - m_body.bottom();
    for (QTextBlock b = m_doc.begin(); b.isValid(); b = b.next()) {
        QTextBlockFormat f = b.blockFormat();
        if (f.headingLevel() == 0 || (f.pageBreakPolicy() & QTextFormat::PageBreak_AlwaysBefore))
            continue;
        const QRectF r = layout->blockBoundingRect(b);
        const int page = pageOf(r.top());
        bool together = (page + 1) * m_sheet.height() - bottomMargin - r.bottom()
                        >= kKeepWithHeading * m_unit;
        QTextBlock next = b.next();
        for (int i = 0; together && i < 3 && next.isValid(); ++i, next = next.next()) {
            if (next.blockFormat().headingLevel() > 0)
                break;
            together = pageOf(layout->blockBoundingRect(next).top()) == page;
            if (QTextCursor(next).currentTable())
                break;
        }
        if (page == 0 || together)
            continue;
        f.setPageBreakPolicy(f.pageBreakPolicy() | QTextFormat::PageBreak_AlwaysBefore);
        QTextCursor(b).setBlockFormat(f);
        relayout();
    }
}

std::optional<PlanHtml::RowBreak>
PlanLayout::firstSplitRow(const QList<PlanHtml::TablePart> &parts,
                          const QList<PlanHtml::RowBreak> &known) const
{
    // PlanHtml writes tables only at the top level, so the n-th child frame that is a table is
    // the n-th part it wrote.
    int part = 0;
    const QList<QTextFrame *> frames = m_doc.rootFrame()->childFrames();
    for (QTextFrame *frame : frames) {
        auto *table = qobject_cast<QTextTable *>(frame);
        if (!table)
            continue;
        if (part >= parts.size())
            break;
        const PlanHtml::TablePart &p = parts[part++];
        const int header = table->format().headerRowCount();
        const auto spans = [table](int row) {
            return table->columns() > 1 && table->cellAt(row, 0).columnSpan() == table->columns();
        };
        for (int r = header; r < table->rows(); ++r) {
            const RowExtent e = rowExtent(m_doc, table, r);
            if (e.bottom < e.top)
                continue;
            int last = pageOf(e.bottom);
            // A row of one cell across the table heads a group: it keeps with the next row, and
            // with its whole group when that takes less than a third of a page.
            if (spans(r) && r + 1 < table->rows()) {
                int end = r + 1;
                while (end + 1 < table->rows() && !spans(end + 1))
                    ++end;
                const RowExtent group = rowExtent(m_doc, table, end);
                if (group.bottom - e.top < m_body.height() / 3)
                    last = std::max(last, pageOf(group.bottom));
                else
                    last = std::max(last, pageOf(rowExtent(m_doc, table, r + 1).top));
            }
            if (pageOf(e.top) == last || e.bottom - e.top > m_body.height() / 2)
                continue;
            const PlanHtml::RowBreak split{p.table, p.firstRow + (r - header)};
            if (!known.contains(split))
                return split;
        }
    }
    return std::nullopt;
}

void PlanLayout::splitBlocksAtPageBreaks()
{
    // The layout draws the last line before a page break once more at the top of the next
    // page, clipped away but still in the PDF's text, where a search finds it twice. It does
    // so only within a block: a paragraph that runs over a page break becomes two blocks,
    // split where the page breaks. That changes nothing in the layout, so every split is found
    // first and made afterwards, from the end (where positions stay valid).
    QAbstractTextDocumentLayout *layout = m_doc.documentLayout();
    QList<int> splits;
    for (QTextBlock b = m_doc.begin(); b.isValid(); b = b.next()) {
        const QTextLayout *lines = b.layout();
        if (lines->lineCount() < 2 || b.textList())
            continue; // a list item split in two would get a second bullet
        const qreal top = layout->blockBoundingRect(b).top();
        int page = pageOf(top + lines->lineAt(0).y());
        for (int i = 1; i < lines->lineCount(); ++i) {
            const int linePage = pageOf(top + lines->lineAt(i).y());
            if (linePage != page)
                splits.append(b.position() + lines->lineAt(i).textStart());
            page = linePage;
        }
    }
    for (auto it = splits.crbegin(); it != splits.crend(); ++it) {
        QTextCursor c(&m_doc);
        c.setPosition(*it);
        QTextBlockFormat first = c.blockFormat();
        QTextBlockFormat second = first;
        first.setBottomMargin(0);
        second.setTopMargin(0);
        second.setPageBreakPolicy(QTextFormat::PageBreak_Auto);
        c.setBlockFormat(first);
        // A line that began after a <br/>: the break becomes the paragraph break.
        if (*it > 0 && m_doc.characterAt(*it - 1) == QChar::LineSeparator) {
            c.setPosition(*it - 1);
            c.setPosition(*it, QTextCursor::KeepAnchor);
            c.removeSelectedText();
        }
        c.insertBlock(second, c.charFormat());
    }
    if (!splits.isEmpty())
        relayout();
}

void PlanLayout::paintPage(QPainter &painter, int page) const
{
    painter.save();
    painter.translate(0, -page * m_sheet.height());
    const QRectF sheet(0, page * m_sheet.height(), m_sheet.width(), m_sheet.height());
    painter.setClipRect(sheet);
    QAbstractTextDocumentLayout::PaintContext context;
    context.clip = sheet;
    context.palette.setColor(QPalette::Text, QColor(0x22, 0x22, 0x22));
    m_doc.documentLayout()->draw(&painter, context);
    painter.restore();
}
