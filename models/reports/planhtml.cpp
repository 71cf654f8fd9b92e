#include "reports/planhtml.h"

#include "reports/plandocument.h"

#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

namespace {
QString scoreBackground(double score)
{
    if (score >= 0.75)
        return QStringLiteral("background-color: #dcefdc;");
    if (score >= 0.4)
        return QStringLiteral("background-color: #fbf3d5;");
    return QStringLiteral("background-color: #f8dedb;");
}
} // namespace

PlanHtml::PlanHtml(const PlanDocument &doc, const QList<Slice> &ganttSlices,
                   const QList<RowBreak> &breaks, Content content)
    : m_doc(doc)
    , m_slices(ganttSlices)
    , m_breaks(breaks)
    , m_content(content)
{}

QString PlanHtml::marker(int slice)
{
    // Private-use characters: no user text can hold the marker by accident.
    return QStringLiteral("\ue000gantt-%1\ue000").arg(slice);
}

QString PlanHtml::styleSheet()
{
    // Qt applies a class rule's font and colour, but a table's border-collapse and a
    // heading's margins only from element rules or the element's own style attribute.
    return QStringLiteral(
        "body { color: #222222; }"
        "h1 { font-size: 16pt; font-weight: bold; color: #1f3a5f; margin-top: 18px; margin-bottom: "
        "8px; }"
        "h2 { font-size: 11.5pt; font-weight: bold; color: #1f3a5f; margin-top: 14px; "
        "margin-bottom: 5px; }"
        "p { margin-top: 0px; margin-bottom: 6px; }"
        "ul { margin-top: 0px; margin-bottom: 0px; margin-left: 0px; -qt-list-indent: 1; }"
        "li { margin-bottom: 1px; }"
        "table { margin-bottom: 8px; border-collapse: collapse; border-color: #949ea9; }"
        "th { background-color: #e6ecf3; font-weight: bold; color: #1f3a5f; }"
        ".muted { color: #666666; }"
        ".small { font-size: 7.5pt; }"
        ".empty { color: #555555; font-style: italic; }"
        ".cover-title { font-size: 14pt; font-weight: normal; color: #4a6587; }"
        ".cover-project { font-size: 26pt; font-weight: bold; color: #1f3a5f; }"
        ".cover-route { font-size: 16pt; color: #333333; }");
}

QString PlanHtml::esc(const QString &text)
{
    QString html = text.toHtmlEscaped();
    html.replace(u'\n', QStringLiteral("<br/>"));
    return html;
}

QString PlanHtml::breakable(const QString &text)
{
    // A word longer than a narrow column (a URL, a file name) would widen its table past the
    // page: let it wrap after its separators.
    static const QRegularExpression longWord(QStringLiteral("\\S{24,}"));
    QString out;
    qsizetype last = 0;
    auto it = longWord.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += text.mid(last, m.capturedStart() - last).toHtmlEscaped();
        QString word;
        for (const QChar c : m.captured()) {
            word += c;
            if (c == u'/' || c == u'.' || c == u'_' || c == u'-' || c == u'?' || c == u'&'
                || c == u'=')
                word += QChar(0x200b);
        }
        out += word.toHtmlEscaped();
        last = m.capturedEnd();
    }
    out += text.mid(last).toHtmlEscaped();
    out.replace(u'\n', QStringLiteral("<br/>"));
    return out;
}

QString PlanHtml::number(qint64 n)
{
    return QLocale().toString(n);
}

QString PlanHtml::percent(qint64 part, qint64 whole)
{
    if (whole <= 0)
        return QStringLiteral("\u2013");
    return QLocale().toString(100.0 * double(part) / double(whole), 'f', 1)
           + QStringLiteral("\u00a0%");
}

QString PlanHtml::date(const QDate &d)
{
    return d.isValid() ? QLocale().toString(d, QLocale::ShortFormat) : QStringLiteral("\u2013");
}

QString PlanHtml::muted(const QString &html)
{
    return QStringLiteral("<span class=\"muted\">") + html + QStringLiteral("</span>");
}

QString PlanHtml::paragraph(const QString &text)
{
    return QStringLiteral("<p>") + esc(text) + QStringLiteral("</p>");
}

QString PlanHtml::notYet(const QString &sentence)
{
    return QStringLiteral("<p class=\"empty\">") + esc(sentence) + QStringLiteral("</p>");
}

QString PlanHtml::section(int number, const QString &title, bool newPage)
{
    const QString style = newPage ? QStringLiteral(" style=\"page-break-before: always;\"") : QString();
    if (number <= 0) // a document of one section
        return QStringLiteral("<h1%1>%2</h1>").arg(style, title.toHtmlEscaped());
    return QStringLiteral("<h1%1>%2\u2002%3</h1>").arg(style).arg(number).arg(title.toHtmlEscaped());
}

QString PlanHtml::subsection(const QString &title)
{
    return QStringLiteral("<h2>") + title.toHtmlEscaped() + QStringLiteral("</h2>");
}

QString PlanHtml::table(const Table &t)
{
    const int id = m_tables++;
    const auto alignOf = [&t](qsizetype column) {
        return column < t.align.size() ? t.align[column] : QStringLiteral("left");
    };
    const qsizetype columns = std::max(t.headers.size(), t.widths.size());
    // Opens a <table> (a part of table id from body row first on) with its header: a <thead>
    // row is repeated at the top of every page the part runs onto.
    const auto open = [&](int first, bool newPage) {
        m_parts.append({id, first});
        // A border of 1 with border-collapse (styleSheet()) draws a 1px grid.
        QString html
            = QStringLiteral(
                  "<table width=\"%1%\" cellspacing=\"0\" cellpadding=\"4\" border=\"%2\"%3>")
                  .arg(t.width)
                  .arg(t.grid ? 1 : 0)
                  .arg(newPage ? QStringLiteral(" style=\"page-break-before: always;\"")
                               : QString());
        if (t.headers.isEmpty())
            return html;
        html += QStringLiteral("<thead><tr>");
        for (qsizetype c = 0; c < t.headers.size(); ++c) {
            const int width = c < t.widths.size() ? t.widths[c] : 0;
            html += QStringLiteral("<th align=\"%1\"%2>%3</th>")
                        .arg(alignOf(c),
                             width > 0 ? QStringLiteral(" width=\"%1%\"").arg(width) : QString(),
                             t.headers[c].toHtmlEscaped().replace(u'\n', QStringLiteral("<br/>")));
        }
        return html + QStringLiteral("</tr></thead>");
    };

    QString html = open(0, m_breaks.contains(RowBreak{id, 0}));
    for (qsizetype r = 0; r < t.rows.size(); ++r) {
        if (r > 0 && m_breaks.contains(RowBreak{id, int(r)}))
            html += QStringLiteral("</table>") + open(int(r), true);
        html += QStringLiteral("<tr>");
        for (qsizetype c = 0; c < t.rows[r].size(); ++c) {
            QString css = r < t.rowStyles.size() ? t.rowStyles[r] : QString();
            if (r < t.cellStyles.size() && c < t.cellStyles[r].size())
                css += t.cellStyles[r][c];
            const QString style
                = css.isEmpty() ? QString() : QStringLiteral(" style=\"%1\"").arg(css);
            const int width = t.headers.isEmpty() && c < t.widths.size() ? t.widths[c] : 0;
            const bool spans = t.rows[r].size() == 1 && columns > 1;
            html += QStringLiteral("<td align=\"%1\"%2%3%4>%5</td>")
                        .arg(alignOf(c),
                             width > 0 ? QStringLiteral(" width=\"%1%\"").arg(width) : QString(),
                             spans ? QStringLiteral(" colspan=\"%1\"").arg(columns) : QString(),
                             style, t.rows[r][c]);
        }
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</table>");
}

QString PlanHtml::build()
{
    m_parts.clear();
    m_tables = 0;
    QString html = QStringLiteral("<html><body>");
    if (m_content == Content::Checklist)
        return html + checklistTitle() + checklist(0) + QStringLiteral("</body></html>");
    html += cover();
    int n = 0;
    html += objectives(++n);
    html += assessment(++n);
    html += platforms(++n);
    html += timeline(++n);
    html += stages(++n);
    if (!m_doc.reviews.isEmpty()) // once the transfer has been reviewed
        html += reviews(++n);
    html += risks(++n);
    html += checklist(++n);
    html += signOff(++n);
    return html + QStringLiteral("</body></html>");
}

QString PlanHtml::checklistTitle()
{
    const PlanDocument &doc = m_doc;
    // The layout ignores the top margin of a document's first block: a tiny spacer comes first.
    QString html = QStringLiteral("<p style=\"font-size: 1pt; margin: 0px;\">&nbsp;</p>");
    html += QStringLiteral("<h1 class=\"cover-title\" style=\"margin-bottom: 4px;\">")
            + tr("Migration checklist").toHtmlEscaped() + QStringLiteral("</h1>");
    QString line = esc(doc.projectName);
    if (!doc.sourceName.isEmpty() || !doc.targetName.isEmpty())
        line += QStringLiteral(" \u2014 ") + esc(doc.sourceName.isEmpty() ? tr("source not named yet") : doc.sourceName)
                + QStringLiteral(" \u2192 ") + esc(doc.targetName.isEmpty() ? tr("target not chosen yet") : doc.targetName);
    html += QStringLiteral("<h2 style=\"margin-top: 0px; margin-bottom: 2px;\">") + line + QStringLiteral("</h2>");
    QString meta = QLocale().toString(doc.date, QLocale::LongFormat);
    if (!doc.owner.isEmpty())
        meta = tr("%1, migration owner %2").arg(meta, doc.owner);
    html += QStringLiteral("<p style=\"margin-bottom: 18px;\">") + muted(meta.toHtmlEscaped()) + QStringLiteral("</p>");
    return html;
}

QString PlanHtml::cover()
{
    const PlanDocument &doc = m_doc;
    const QString target = doc.targetName.isEmpty() ? tr("target not chosen yet") : doc.targetName;
    const QString source = doc.sourceName.isEmpty() ? tr("source not named yet") : doc.sourceName;
    // The layout ignores the top margin of a document's first block: a tiny spacer comes first.
    QString html = QStringLiteral("<p style=\"font-size: 1pt; margin: 0px;\">&nbsp;</p>");
    html += QStringLiteral(
                "<h1 class=\"cover-title\" style=\"margin-top: 190px; margin-bottom: 4px;\">")
            + tr("Migration plan").toHtmlEscaped() + QStringLiteral("</h1>");
    html += QStringLiteral("<p class=\"cover-project\" style=\"margin-bottom: 8px;\">")
            + esc(doc.projectName) + QStringLiteral("</p>");
    html += QStringLiteral("<p class=\"cover-route\" style=\"margin-bottom: 36px;\">") + esc(source)
            + QStringLiteral(" \u2192 ") + esc(target) + QStringLiteral("</p>");

    Table facts;
    facts.grid = false;
    facts.width = 80;
    facts.widths = {30, 70};
    const auto add = [&facts](const QString &label, const QString &valueHtml) {
        facts.rows.append({muted(label.toHtmlEscaped()), valueHtml});
    };
    add(tr("Migration owner"),
        doc.owner.isEmpty() ? muted(tr("not named yet").toHtmlEscaped()) : esc(doc.owner));
    add(tr("Date"), QLocale().toString(doc.date, QLocale::LongFormat).toHtmlEscaped());
    if (doc.inventory)
        add(tr("Contacts assessed"), number(doc.inventory->total).toHtmlEscaped());
    if (!doc.timeline.stages.isEmpty() && doc.timeline.end().isValid()) {
        QDate first;
        for (const Stage &s : doc.timeline.stages) {
            if (s.start.isValid() && (!first.isValid() || s.start < first))
                first = s.start;
        }
        const qsizetype n = doc.timeline.stages.size();
        const QString from = date(first);
        const QString to = date(doc.timeline.end());
        add(tr("Timeline"), (n == 1 ? tr("1 stage, %1 to %2").arg(from, to)
                                    : tr("%1 stages, %2 to %3").arg(QString::number(n), from, to))
                                .toHtmlEscaped());
        for (const Stage &s : doc.timeline.stages) {
            if (s.kind == StageKind::GoLive) {
                add(tr("Go-live"), date(s.start).toHtmlEscaped());
                break;
            }
        }
    }
    return html + table(facts);
}

QString PlanHtml::objectives(int number)
{
    QString html = section(number, tr("Objectives and KPIs"), true);
    if (m_doc.objectives.isEmpty()) {
        return html
               + notYet(tr("No objectives have been set yet: the migration has no measurable "
                           "definition of success."));
    }
    html += paragraph(tr("The migration succeeds when every criterion below is met."));
    Table t;
    t.headers = {tr("Goal"), tr("Success criterion (KPI)"), tr("Notes")};
    t.widths = {28, 40, 32};
    for (const Objective &o : m_doc.objectives) {
        QString goal = o.title;
        if (goal.isEmpty()) {
            if (const CommonGoal *g = CommonGoals::find(o.goal))
                goal = g->title;
        }
        t.rows.append({esc(goal),
                       QStringLiteral("<b>") + esc(o.criterion()) + QStringLiteral("</b>"),
                       breakable(o.notes)});
    }
    return html + table(t);
}

QString PlanHtml::platforms(int number)
{
    const PlanDocument &doc = m_doc;
    QString html = section(number, tr("Platform comparison"));
    if (doc.ranking.isEmpty()) {
        html += notYet(tr("No platforms have been compared yet."));
    } else {
        // Candidates are columns; more than five would leave no room for the criteria.
        const QList<PlatformScore> shown = doc.ranking.mid(0, 5);
        html += paragraph(
            tr("Each criterion is weighted from 0 (ignored) to 5 (essential); each candidate "
               "scores 0 to 100 on it. The total is the weighted average."));
        Table t;
        t.headers = {tr("Criterion"), tr("Weight")};
        t.align = {QStringLiteral("left"), QStringLiteral("center")};
        const int scoreWidth = int(60 / shown.size());
        t.widths = {100 - 8 - scoreWidth * int(shown.size()), 8};
        for (const PlatformScore &p : shown) {
            // Narrow columns: long names may break between their words ("Active|Campaign"),
            // never inside one, and the mark of the choice goes on a line of its own.
            QString name = p.name;
            for (qsizetype i = name.size() - 1; i > 0; --i) {
                if (name.at(i).isUpper() && name.at(i - 1).isLower())
                    name.insert(i, QChar(0x200B));
            }
            t.headers.append(p.platformId == doc.choice.platformId ? name + u'\n' + tr("(chosen)") : name);
            t.align.append(QStringLiteral("center"));
            t.widths.append(scoreWidth);
        }
        for (const Criterion &c : doc.criteria) {
            QStringList row;
            QStringList styles = {QString(), QString()};
            row.append(esc(c.title)
                       + (c.why.isEmpty() ? QString()
                                          : QStringLiteral("<br/><span class=\"muted small\">")
                                                + esc(c.why) + QStringLiteral("</span>")));
            row.append(QString::number(c.weight));
            for (const PlatformScore &p : shown) {
                const auto s
                    = std::find_if(p.scores.cbegin(), p.scores.cend(),
                                   [&c](const CriterionScore &cs) { return cs.key == c.key; });
                if (s == p.scores.cend()) {
                    row.append(QStringLiteral("\u2013"));
                    styles.append(QString());
                    continue;
                }
                // The cell's colour says at a glance how well the candidate does.
                row.append(QLocale().toString(qRound(s->score * 100)));
                styles.append(scoreBackground(s->score));
            }
            t.rows.append(row);
            t.cellStyles.append(styles);
        }
        QStringList total
            = {QStringLiteral("<b>") + tr("Total").toHtmlEscaped() + QStringLiteral("</b>"),
               QString()};
        for (const PlatformScore &p : shown)
            total.append(QStringLiteral("<b>") + QLocale().toString(p.total, 'f', 1)
                         + QStringLiteral("</b>"));
        t.rows.append(total);
        bool anyBlocker = false;
        QStringList blockers = {tr("Fails an essential criterion").toHtmlEscaped(), QString()};
        for (const PlatformScore &p : shown) {
            anyBlocker = anyBlocker || !p.blockers.isEmpty();
            blockers.append(p.blockers.isEmpty()
                                ? QStringLiteral("\u2013")
                                : QStringLiteral("<span style=\"color: #a12a1e;\">")
                                      + esc(p.blockers.join(u'\n')) + QStringLiteral("</span>"));
        }
        if (anyBlocker)
            t.rows.append(blockers);
        html += table(t);
        if (doc.ranking.size() > shown.size()) {
            html += QStringLiteral("<p class=\"muted\">")
                    + tr("Lower-ranked candidates not shown: %1.")
                          .arg(doc.ranking.size() - shown.size())
                          .toHtmlEscaped()
                    + QStringLiteral("</p>");
        }
    }

    html += subsection(tr("Decision"));
    if (doc.choice.platformId.isEmpty())
        return html + notYet(tr("No platform has been chosen yet."));
    const PlatformScore *chosen = nullptr;
    for (const PlatformScore &p : doc.ranking) {
        if (p.platformId == doc.choice.platformId)
            chosen = &p;
    }
    QString name = chosen ? chosen->name : doc.targetName;
    if (name.isEmpty())
        name = doc.choice.platformId;
    html += paragraph(
        doc.choice.decidedAt.isValid()
            ? tr("Chosen: %1, decided on %2.").arg(name, date(doc.choice.decidedAt.date()))
            : tr("Chosen: %1.").arg(name));
    html += QStringLiteral("<p><b>") + tr("Reasons").toHtmlEscaped() + QStringLiteral("</b><br/>")
            + (doc.choice.reasons.trimmed().isEmpty() ? muted(tr("none written").toHtmlEscaped())
                                                      : esc(doc.choice.reasons.trimmed()))
            + QStringLiteral("</p>");
    if (!chosen || chosen->scores.isEmpty())
        return html;

    html += subsection(tr("Facts behind the scores for %1").arg(name));
    Table facts;
    facts.headers = {tr("Criterion"), tr("Score"), tr("Fact"), tr("Source, checked")};
    facts.widths = {22, 8, 40, 30};
    facts.align = {QStringLiteral("left"), QStringLiteral("center")};
    for (const CriterionScore &s : chosen->scores) {
        QString title = s.key;
        for (const Criterion &c : doc.criteria) {
            if (c.key == s.key)
                title = c.title;
        }
        QString source = breakable(s.source);
        if (!s.checked.isEmpty())
            source
                += (source.isEmpty() ? QString() : QStringLiteral("<br/>")) + muted(esc(s.checked));
        facts.rows.append(
            {esc(title), QLocale().toString(qRound(s.score * 100)), esc(s.explanation), source});
    }
    return html + table(facts);
}
