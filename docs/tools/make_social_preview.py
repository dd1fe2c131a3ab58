"""Draw static/img/social-preview.png, the default image social sites show for a shared page.

Run it again after changing the brand (needs Pillow, in the dev extra):
    .venv/bin/python docs/tools/make_social_preview.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[2] / "static" / "img" / "social-preview.png"
WIDTH, HEIGHT = 1200, 630
BRAND, BRAND_DARK, TINT = "#0b5d4b", "#07392e", "#e7f1ed"
# The principles' colours, in their order (see principles/migrations/0003_...).
PALETTE = ["#1f5aa6", "#8a4600", "#6b3fa0", "#a8233a", "#2f6b22", "#00676b", "#93246f"]
FONTS = Path("/usr/share/fonts/truetype/dejavu")


def font(name, size):
    return ImageFont.truetype(str(FONTS / name), size)


def main():
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, HEIGHT - 24, WIDTH, HEIGHT], fill=BRAND_DARK)
    # The logo: two interlocking rings.
    for cx in (120, 170):
        draw.ellipse([cx - 50, 100, cx + 50, 200], outline="white", width=12)
    title = font("DejaVuSans-Bold.ttf", 76)
    draw.text((80, 260), "Co-operative Councils", font=title, fill="white")
    draw.text((80, 350), "case studies", font=font("DejaVuSans.ttf", 64), fill=TINT)
    draw.text(
        (80, 460),
        "Work that meets the co-operative principles",
        font=font("DejaVuSans.ttf", 34),
        fill="white",
    )
    for i, colour in enumerate(PALETTE):
        x = 80 + i * 70
        draw.ellipse([x, 530, x + 50, 580], fill=colour, outline="white", width=4)
    image.save(OUT, optimize=True)
    print(f"Wrote {OUT.relative_to(Path.cwd())} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
