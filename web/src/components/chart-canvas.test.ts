// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import ChartCanvas from './chart-canvas.vue';

const created: { config: unknown; update: ReturnType<typeof vi.fn>; destroy: ReturnType<typeof vi.fn>; data?: unknown }[] = [];
vi.mock('./chart-setup', () => ({
  Chart: class {
    update = vi.fn();
    destroy = vi.fn();
    data: unknown;
    constructor(
      public canvas: HTMLCanvasElement,
      public config: { data: unknown },
    ) {
      this.data = config.data;
      created.push(this as never);
    }
  },
}));

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ChartCanvas', () => {
  it('creates the chart on its canvas when mounted, updates it on new data and destroys it when unmounted', async () => {
    const config = { type: 'bar', data: { labels: ['Jan'], datasets: [] } } as never;
    const wrapper = mount(ChartCanvas, { props: { config, label: 'Plan by month' } });
    await flush();
    expect(created).toHaveLength(1);
    expect((created[0] as unknown as { canvas: HTMLCanvasElement }).canvas).toBe(wrapper.find('canvas').element);
    expect(wrapper.find('canvas').attributes()).toMatchObject({ role: 'img', 'aria-label': 'Plan by month' });

    await wrapper.setProps({ config: { type: 'bar', data: { labels: ['Feb'], datasets: [] } } as never });
    await nextTick();
    expect(created[0].update).toHaveBeenCalled();
    expect(created[0].data).toEqual({ labels: ['Feb'], datasets: [] });

    wrapper.unmount();
    expect(created[0].destroy).toHaveBeenCalledTimes(1);
  });

  it('announces when it is drawn, and with `clickable` turns a click on a bar into `select`', async () => {
    const config = { type: 'bar', data: { labels: ['DoI 1'], datasets: [] }, options: { animation: false } } as never;
    const wrapper = mount(ChartCanvas, { props: { config, label: 'Waterfall', clickable: true } });
    await flush();
    expect(wrapper.emitted('ready')).toHaveLength(1);
    const chart = created.at(-1) as unknown as { config: { options: { onClick: (e: unknown, els: unknown[]) => void; animation: boolean } } };
    expect(chart.config.options.animation).toBe(false);
    chart.config.options.onClick({}, [{ datasetIndex: 1, index: 3 }]);
    chart.config.options.onClick({}, []);
    expect(wrapper.emitted('select')).toEqual([[{ datasetIndex: 1, index: 3 }]]);
    wrapper.unmount();
  });
});
