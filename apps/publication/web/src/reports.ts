/**
 * The reports section: the released reports (GET /api/v1/reports), each readable in the page (the
 * service's rendered HTML in a frame, optionally with today's values beside the pinned ones) and as PDF.
 */
interface ReportSummary {
  id: string;
  title: string;
  releasedAt: string | null;
  sections: number;
  figures: number;
  recommendations: number;
}

const dateDe = (iso: string) => new Date(iso).toLocaleDateString('de-DE', { dateStyle: 'long' });

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

export async function showReports(): Promise<void> {
  const list = document.getElementById('berichte-liste');
  const frame = document.getElementById('bericht') as HTMLIFrameElement | null;
  if (!list || !frame) return;
  const open = (id: string, compare: boolean) => {
    frame.hidden = false;
    frame.src = `/api/v1/reports/${encodeURIComponent(id)}/html${compare ? '?compare=current' : ''}`;
    frame.focus();
  };
  let reports: ReportSummary[];
  try {
    const res = await fetch('/api/v1/reports', { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(String(res.status));
    reports = ((await res.json()) as { reports: ReportSummary[] }).reports;
  } catch {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'Berichte sind gerade nicht abrufbar.' }));
    return;
  }
  if (reports.length === 0) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'Noch kein Bericht veröffentlicht.' }));
    return;
  }
  list.replaceChildren(
    ...reports.map((r) => {
      const li = document.createElement('li');
      li.dataset.report = r.id;
      const title = document.createElement('strong');
      title.textContent = r.title;
      const meta = document.createElement('span');
      meta.textContent = ` — veröffentlicht ${r.releasedAt ? dateDe(r.releasedAt) : ''}, ${r.figures} Abbildungen, ${r.recommendations} Handlungsempfehlungen `;
      const pdf = document.createElement('a');
      pdf.href = `/api/v1/reports/${encodeURIComponent(r.id)}/pdf`;
      pdf.textContent = 'PDF';
      li.append(title, meta, button('Lesen', () => open(r.id, false)), button('Mit heutigen Werten', () => open(r.id, true)), ' ', pdf);
      return li;
    }),
  );
}

void showReports();
